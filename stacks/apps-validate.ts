/**
 * Rules relating apps to each other and to the stack's regions.
 */
import { ConfigIssue, ConfigPath, issueAt as issue } from "./errors";
import { AppSpec, appHosts } from "./apps-schema";

export interface AppsContext {
    readonly production: boolean;
    readonly regions: readonly string[];
    readonly apps: readonly AppSpec[];
}

/** Listeners an app gets in a region: explicit, or HTTPS (with HTTP redirect) where a certificate (given or managed) exists. */
export function listenersFor(app: AppSpec, region: string): Array<"HTTP" | "HTTPS"> {
    if (app.listeners) return [...new Set(app.listeners)];
    return app.certificateArns[region] || app.managedCertificate ? ["HTTP", "HTTPS"] : ["HTTP"];
}

export function appIssues(ctx: AppsContext): ConfigIssue[] {
    const out: ConfigIssue[] = [];
    const names = new Map<string, number>();
    const routes = new Map<string, number>();
    ctx.apps.forEach((app, i) => {
        const at = (...p: Array<string | number>): ConfigPath => ["apps", i, ...p];
        if (names.has(app.name)) {
            out.push(issue(ctx, at("name"), `app name is used twice (also apps[${names.get(app.name)}])`));
        }
        names.set(app.name, i);
        // Apps of one scheme share one ALB (ingress group), so host+path must be unique per scheme.
        const hosts = appHosts(app);
        for (const host of hosts.length > 0 ? hosts : [undefined]) {
            const route = `${app.scheme} ${host ?? "*"}${app.path}`;
            const earlier = routes.get(route);
            if (earlier !== undefined && earlier !== i) {
                out.push(issue(ctx, at("path"), `host ${host ?? "(any)"} and path ${app.path} are already routed to apps[${earlier}] on the same ${app.scheme} load balancer`));
            }
            routes.set(route, i);
        }
        for (const name of Object.keys(app.secretEnv)) {
            if (name in app.env) {
                out.push(issue(ctx, at("secretEnv", name), "is also set in env; a variable is either plain or secret"));
            }
        }
        if (ctx.production && app.replicas < 2) {
            out.push(issue(ctx, at("replicas"), "a production environment needs at least 2 replicas (one per zone survives a node or zone loss)"));
        }
        if (app.autoscaling) {
            const a = app.autoscaling;
            if (a.minReplicas > a.maxReplicas) {
                out.push(issue(ctx, at("autoscaling", "minReplicas"), `is greater than maxReplicas (${a.maxReplicas})`));
            }
            if (ctx.production && a.minReplicas < 2) {
                out.push(issue(ctx, at("autoscaling", "minReplicas"), "a production environment needs at least 2"));
            }
        }
        for (const [region, arn] of Object.entries(app.certificateArns)) {
            if (!ctx.regions.includes(region)) {
                out.push(issue(ctx, at("certificateArns", region), `region ${region} is not one of this stack's regions (${ctx.regions.join(", ")})`));
            } else if (arn.split(":")[3] !== region) {
                out.push(issue(ctx, at("certificateArns", region), `the certificate lives in ${arn.split(":")[3]}; an ALB in ${region} needs an ACM certificate from ${region}`));
            }
        }
        for (const region of ctx.regions) {
            const listeners = listenersFor(app, region);
            const cert = app.certificateArns[region] ?? (app.managedCertificate ? "managed" : undefined);
            if (listeners.includes("HTTPS") && !cert) {
                out.push(issue(ctx, at("listeners"), `has HTTPS but no certificate for ${region} in certificateArns`));
            }
            if (app.certificateArns[region] && !listeners.includes("HTTPS")) {
                out.push(issue(ctx, at("certificateArns", region), "a certificate needs an HTTPS listener; add \"HTTPS\" to listeners or remove the certificate"));
            }
            if (ctx.production && app.scheme === "internet-facing" && !cert) {
                out.push(issue(ctx, at("certificateArns"), `an internet-facing app in production must serve HTTPS: give it hosts in a zone of eks-platform:dns (managed certificates), or add a certificate for ${region}`));
            }
        }
    });
    return out;
}
