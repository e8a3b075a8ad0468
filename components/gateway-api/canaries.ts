/**
 * An app's canaries (stack config `apps[].canaries`) as apps of their own: the same settings but name,
 * image and replica count, no autoscaler, no canaries. The Workloads component registers each like an app
 * (ServiceAccount, NetworkPolicy, Deployment, Service, PodDisruptionBudget) and the app's HTTPRoute sends
 * them their weight of its requests (routes.ts).
 */
import type { AppSpec } from "../../stacks/apps-schema";

export function canaryApps(app: AppSpec): AppSpec[] {
    return app.canaries.map((c) => ({
        ...app,
        name: `${app.name}-${c.name}`,
        image: c.image,
        replicas: c.replicas,
        autoscaling: undefined,
        canaries: [],
        weights: undefined,
    }));
}
