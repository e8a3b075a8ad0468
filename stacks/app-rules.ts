/**
 * App rules Kubernetes, the API server or the load balancer controller would enforce later (or break
 * on silently), checked at the config key instead: quantities, paths, routes, the listeners an
 * ingress group shares.
 */
import { AppSpec, appHosts, routesThroughIngress } from "./apps-schema";
import { listenersFor } from "./apps-validate";
import { ConfigIssue, issueAt as issue } from "./errors";
import { quantityValue } from "./quantity";

/**
 * An HTTP path the API server accepts for an Ingress of pathType Prefix and the controller can
 * route: absolute, no empty segment (`//`), no `.` or `..` segment, no wildcard (`*` is literal in a
 * Prefix path, and the controller only routes it with ImplementationSpecific).
 * https://kubernetes.io/docs/concepts/services-networking/ingress/#path-types
 */
export function pathProblem(p: string): string | undefined {
    if (p.includes("*")) return "a wildcard is not allowed in a Prefix path; use a plain prefix such as /api";
    if (p !== "/" && p.slice(1).split("/").some((s, i, all) => s === "" && i < all.length - 1)) return "has an empty segment (//)";
    if (p.split("/").some((s) => s === "." || s === "..")) return "has a . or .. segment; give the path as it is routed, e.g. /b instead of /a/../b";
    return undefined;
}

/** A Prefix path as the controller matches it: a trailing slash does not make another route. */
export function routePath(p: string): string {
    return p.length > 1 ? p.replace(/\/+$/, "") : p;
}

export interface AppRulesContext {
    readonly regions: readonly string[];
    readonly apps: readonly AppSpec[];
}

export function appRuleIssues(c: AppRulesContext): ConfigIssue[] {
    const out: ConfigIssue[] = [];
    const routes = new Map<string, number>();
    c.apps.forEach((app, i) => {
        const at = (...p: Array<string | number>) => ["apps", i, ...p];
        const request = quantityValue(app.resources.memoryRequest);
        const limit = quantityValue(app.resources.memoryLimit);
        if (request !== undefined && limit !== undefined && limit < request) {
            out.push(issue(c, at("resources", "memoryLimit"), `is below memoryRequest (${app.resources.memoryRequest}); Kubernetes refuses a limit below the request`));
        }
        for (const key of ["path", "healthPath"] as const) {
            const problem = pathProblem(app[key]);
            if (problem) out.push(issue(c, at(key), problem));
        }
        const seen = new Map<string, number>();
        app.writablePaths.forEach((p, k) => {
            const norm = routePath(p);
            if (seen.has(norm)) out.push(issue(c, at("writablePaths", k), `is listed twice (also writablePaths[${seen.get(norm)}]); each path is one mount`));
            seen.set(norm, k);
        });
        // Exact duplicates are reported by appIssues; here the ones that differ only by a trailing slash.
        const hosts = appHosts(app);
        for (const host of hosts.length > 0 ? hosts : [undefined]) {
            const route = `${app.scheme} ${host ?? "*"}${routePath(app.path)}`;
            const earlier = routes.get(route);
            if (earlier !== undefined && earlier !== i && c.apps[earlier].path !== app.path) {
                out.push(issue(c, at("path"), `routes the same as apps[${earlier}].path ${JSON.stringify(c.apps[earlier].path)} on the same ${app.scheme} load balancer (a trailing slash does not make another route)`));
            }
            if (earlier === undefined) routes.set(route, i);
        }
    });
    out.push(...ingressGroupListenerIssues(c));
    return out;
}

/**
 * Apps of one scheme share one ALB through their ingress group. `ssl-redirect` is an Exclusive,
 * group-wide annotation in the controller (annotations guide v3.5, MergeBehavior "Exclusive": "once
 * defined on a single Ingress, it impacts every Ingress within IngressGroup"): one app that serves
 * HTTP and HTTPS turns every HTTP listener's rules into a redirect, and an HTTP-only app in the same
 * group becomes unreachable. The mix is refused, per region, naming both apps and the fix.
 * https://kubernetes-sigs.github.io/aws-load-balancer-controller/v3.5/guide/ingress/annotations/#ssl-redirect
 */
export function ingressGroupListenerIssues(c: AppRulesContext): ConfigIssue[] {
    const out: ConfigIssue[] = [];
    for (const region of c.regions) {
        for (const scheme of ["internet-facing", "internal"] as const) {
            // Apps routed through a Gateway get a redirect route of their own (components/gateway-api/routes.ts).
            const apps = c.apps.map((app, i) => ({ app, i, l: listenersFor(app, region) }))
                .filter((x) => x.app.scheme === scheme && routesThroughIngress(x.app));
            const redirecting = apps.find((x) => x.l.includes("HTTP") && x.l.includes("HTTPS"));
            if (!redirecting) continue;
            for (const plain of apps.filter((x) => x.l.includes("HTTP") && !x.l.includes("HTTPS"))) {
                out.push(issue(c, ["apps", plain.i, "listeners"],
                    `serves plain HTTP in ${region}, but apps[${redirecting.i}] (${redirecting.app.name}) on the same ${scheme} load balancer redirects HTTP to HTTPS, ` +
                    "and the controller applies ssl-redirect to the whole ingress group, so this app would be unreachable over HTTP. " +
                    `Give it a certificate for ${region} (it then gets HTTPS with the same redirect), or make apps[${redirecting.i}] HTTPS-only (listeners ["HTTPS"]), ` +
                    `or move one of them to scheme ${scheme === "internal" ? "internet-facing" : "internal"}`));
            }
        }
    }
    return out;
}
