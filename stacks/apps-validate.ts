/**
 * Rules relating apps to each other and to the stack's regions.
 */
import { ConfigIssue, ConfigPath, issueAt as issue } from "./errors";
import { AppSpec, appHosts, routesThroughGateway } from "./apps-schema";

export interface AppsContext {
    readonly production: boolean;
    readonly regions: readonly string[];
    readonly apps: readonly AppSpec[];
    /** `albControllerFeatureGates` as the stack sets them. @default {} */
    readonly featureGates?: Readonly<Record<string, boolean>>;
}

/** The Services an app's routes may send requests to: its own, and one per canary. */
export function appServiceNames(app: Pick<AppSpec, "name" | "canaries">): string[] {
    return [app.name, ...app.canaries.map((c) => `${app.name}-${c.name}`)];
}

/** HTTPRoute backend weights (percent) per Service: `weights` as given, else all to the app's own Service. */
export function backendWeights(app: Pick<AppSpec, "name" | "canaries" | "weights">): Record<string, number> {
    const services = appServiceNames(app);
    const given = app.weights ?? { [app.name]: 100 };
    return Object.fromEntries(services.map((s) => [s, given[s] ?? 0]));
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
        out.push(...gatewayIssues(ctx, app, i));
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

/**
 * Rules of the Gateway API route choice: weighted backends and canaries need an HTTPRoute (an Ingress here
 * routes to the app's one Service), weights name the app's Services and split 100 percent, and the load
 * balancer controller must have its ALB Gateway API controller on.
 */
function gatewayIssues(ctx: AppsContext, app: AppSpec, i: number): ConfigIssue[] {
    const out: ConfigIssue[] = [];
    const at = (...p: Array<string | number>): ConfigPath => ["apps", i, ...p];
    if (routesThroughGateway(app) && ctx.featureGates?.ALBGatewayAPI === false) {
        out.push(issue(ctx, at("route"), `routes through a Gateway, but albControllerFeatureGates.ALBGatewayAPI is false: the load balancer controller would ignore the Gateway and its routes. Remove that gate (the platform turns it on) or use route "ingress"`));
    }
    if (app.endpoint !== undefined && app.route !== "both" && app.endpoint !== app.route) {
        out.push(issue(ctx, at("endpoint"), `is "${app.endpoint}", but route "${app.route}" gives the app no ${app.endpoint === "gateway" ? "Gateway" : "Ingress"} load balancer: use route "both" while moving, or endpoint "${app.route}"`));
    }
    if (!routesThroughGateway(app)) {
        if (app.canaries.length > 0) out.push(issue(ctx, at("canaries"), `need route "gateway" or "both": an Ingress sends all of an app's requests to its one Service, only an HTTPRoute splits them by weight`));
        if (app.weights !== undefined) out.push(issue(ctx, at("weights"), `need route "gateway" or "both": only an HTTPRoute's backends carry weights`));
        return out;
    }
    const seen = new Map<string, number>();
    app.canaries.forEach((c, k) => {
        if (seen.has(c.name)) out.push(issue(ctx, at("canaries", k, "name"), `is used twice (also canaries[${seen.get(c.name)}])`));
        seen.set(c.name, k);
        const service = `${app.name}-${c.name}`;
        // Names of Pulumi resources too (`<region>-<name>-deployment`): unique in the stack, whatever the namespace.
        const clash = ctx.apps.findIndex((o, j) => o.name === service || (j !== i && appServiceNames(o).includes(service)));
        if (clash >= 0) out.push(issue(ctx, at("canaries", k, "name"), `makes the Deployment and Service ${service}, a name apps[${clash}] (${ctx.apps[clash].name}) already uses`));
    });
    if (app.weights !== undefined) {
        const services = appServiceNames(app);
        for (const name of Object.keys(app.weights)) {
            if (!services.includes(name)) out.push(issue(ctx, at("weights", name), `is not a Service of this app; its Services are ${services.join(", ")}`));
        }
        const total = Object.values(app.weights).reduce((a, b) => a + b, 0);
        if (total !== 100) out.push(issue(ctx, at("weights"), `add up to ${total}; give each Service its share in percent, together 100`));
        for (const c of app.canaries) {
            if (!(`${app.name}-${c.name}` in app.weights)) out.push(issue(ctx, at("weights"), `gives canary ${c.name} no weight: list ${app.name}-${c.name} (0 keeps it out of traffic)`));
        }
    } else if (app.canaries.length > 0) {
        out.push(issue(ctx, at("weights"), `is required with canaries: give ${appServiceNames(app).join(", ")} their shares in percent`));
    }
    return out;
}

/**
 * Gateway routes are built on the platform's load balancer controller (components/gateway-api/); a region on
 * EKS Auto Mode has no such controller. Auto Mode serves Gateways itself, but the parameter kinds it reads
 * (scheme, certificates, target type, health check) have no source here and its GatewayClass controller name
 * only a secondary one, so an Auto Mode Gateway would come up internal with default targets: refused there,
 * at the app's `route` (docs/gateway-api-auto-mode.md says what was verified and what would close it).
 */
export function gatewayOnAutoModeIssues(root: unknown, apps: readonly AppSpec[], autoRegions: readonly string[]): ConfigIssue[] {
    if (autoRegions.length === 0) return [];
    return apps.flatMap((app, i) => routesThroughGateway(app)
        ? [issue(root, ["apps", i, "route"], `routes through a Gateway, which this platform builds on its own load balancer controller; region ${autoRegions.join(", ")} runs on EKS Auto Mode (computeMode auto), which has none, and Auto Mode's own Gateways are not built yet (docs/gateway-api-auto-mode.md). Use route "ingress" there`)]
        : []);
}
