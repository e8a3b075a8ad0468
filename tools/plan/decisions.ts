/**
 * The decisions that matter, per region: from the validated stack config (what the program was
 * told) and from the registered resources (what it built: zones, add-ons, releases, apps).
 */
import { TYPES } from "./resource-types";
import { ADDONS } from "../../components/addons-plan";
import { addonPin } from "../../facts/addon-versions";
import { versionSupport } from "../../facts/eks-versions";
import { natLayout, planSubnets } from "../../components/network-plan";
import { nodeGroupName } from "../../components/compute/managed-node-group-settings";
import { computeCapabilities } from "../../components/compute";
import type { PlatformConfig, RegionConfig } from "../../stacks/config";
import type {
    AddonDecision, AppDecision, AutoModeDecision, AppRoute, HelmReleaseDecision, LoadBalancerDecision, Manifest, NodeGroupDecision, NodePoolDecision,
    RegionDecisions, ResourceEntry, SubnetDecision,
} from "./model";

const T = TYPES;

type Obj = Record<string, any>;

function ofType(entries: readonly ResourceEntry[], type: string): ResourceEntry[] {
    return entries.filter((e) => e.type === type);
}

function subnets(r: RegionConfig, entries: readonly ResourceEntry[]): SubnetDecision[] {
    const registered = ofType(entries, T.subnet);
    return planSubnets(r.vpcCidr, r.azCount).map((s) => {
        const hit = registered.find((e) => e.inputs.cidrBlock === s.cidr);
        const az = hit?.inputs.availabilityZone;
        return { tier: s.tier, zone: s.zone, cidr: s.cidr, availabilityZone: typeof az === "string" ? az : "(not registered)" };
    });
}

function addons(entries: readonly ResourceEntry[], r: RegionConfig): AddonDecision[] {
    const order = (name: string) => {
        const i = ADDONS.findIndex((a) => a.name === name);
        return i < 0 ? ADDONS.length : i;
    };
    return ofType(entries, T.addon)
        .map((e): AddonDecision => {
            const pia = e.inputs.podIdentityAssociations as Obj[] | undefined;
            const name = String(e.inputs.addonName);
            const version = typeof e.inputs.addonVersion === "string" ? e.inputs.addonVersion : undefined;
            const pin = addonPin(name, r.cluster.version);
            const fromTable = pin !== undefined && pin.version === version;
            return {
                name,
                version,
                pinnedBy: version === undefined ? undefined : fromTable ? "table" : "override",
                unverified: fromTable && pin.unverified === true ? true : undefined,
                // Shown only when a refresh recorded AWS's default, and it is not what is installed.
                awsDefault: pin?.awsDefault !== undefined && pin.awsDefault !== version ? { version: pin.awsDefault, read: pin.awsDefaultRead } : undefined,
                podIdentityServiceAccount: pia?.[0]?.serviceAccount,
            };
        })
        .sort((a, b) => order(a.name) - order(b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function nodeGroups(r: RegionConfig, cluster: string): NodeGroupDecision[] {
    return r.nodeGroups.map((g) => ({
        name: g.name,
        eksName: nodeGroupName(cluster, g.name),
        capacityType: g.capacityType,
        instanceTypes: [...g.instanceTypes],
        minSize: g.minSize,
        desiredSize: g.desiredSize,
        maxSize: g.maxSize,
        diskSizeGiB: g.diskSizeGiB,
        amiType: g.amiType,
        labels: { ...g.labels },
        taints: g.taints.map((t) => `${t.key}${t.value !== undefined ? `=${t.value}` : ""}:${t.effect}`),
    }));
}

const taintText = (t: Obj) => `${t.key}${t.value !== undefined ? `=${t.value}` : ""}:${t.effect}`;

/** Karpenter's NodePools, from the objects the program would apply (so the plan shows what was built). */
export function nodePools(manifests: readonly Manifest[]): NodePoolDecision[] {
    return manifests.filter((m) => m.kind === "NodePool" && m.apiVersion.startsWith("karpenter.sh/")).map((m) => {
        const spec = (m.object.spec ?? {}) as Obj;
        const template = (spec.template?.spec ?? {}) as Obj;
        const reqs = (template.requirements ?? []) as Obj[];
        const values = (key: string) => reqs.filter((r) => r.key === key && r.operator === "In").flatMap((r) => r.values as string[]);
        // Karpenter's instance labels, or Auto Mode's (`eks.amazonaws.com/`: its NodeClass is eks.amazonaws.com).
        const prefix = template.nodeClassRef?.group === "eks.amazonaws.com" ? "eks.amazonaws.com" : "karpenter.k8s.aws";
        const gt = reqs.find((r) => r.key === `${prefix}/instance-generation` && r.operator === "Gt");
        const disruption = (spec.disruption ?? {}) as Obj;
        return {
            name: m.name ?? "(unnamed)",
            nodeClass: String(template.nodeClassRef?.name ?? ""),
            weight: typeof spec.weight === "number" ? spec.weight : undefined,
            capacityTypes: values("karpenter.sh/capacity-type"),
            instanceCategories: values(`${prefix}/instance-category`),
            instanceFamilies: values(`${prefix}/instance-family`),
            architectures: values("kubernetes.io/arch"),
            zones: values("topology.kubernetes.io/zone"),
            minInstanceGeneration: gt ? Number(gt.values[0]) + 1 : undefined,
            limits: { cpu: spec.limits?.cpu, memory: spec.limits?.memory },
            expireAfter: template.expireAfter,
            consolidationPolicy: disruption.consolidationPolicy,
            consolidateAfter: disruption.consolidateAfter,
            budgets: ((disruption.budgets ?? []) as Obj[]).map((b) => `${b.nodes}${b.reasons ? ` for ${b.reasons.join("/")}` : ""}`
                + `${b.schedule ? ` at "${b.schedule}" for ${b.duration}` : ""}`),
            taints: ((template.taints ?? []) as Obj[]).map(taintText),
        };
    }).sort((a, b) => (b.weight ?? 0) - (a.weight ?? 0) || (a.name < b.name ? -1 : 1));
}

function helmReleases(entries: readonly ResourceEntry[]): HelmReleaseDecision[] {
    return entries
        .filter((e) => e.type.startsWith("kubernetes:helm.sh/"))
        .map((e) => ({
            resource: `${e.type}::${e.name}`,
            chart: String(e.inputs.chart),
            version: e.inputs.version as string | undefined,
            repo: (e.inputs.repositoryOpts as Obj | undefined)?.repo,
            namespace: e.inputs.namespace as string | undefined,
        }))
        .sort((a, b) => (a.resource < b.resource ? -1 : 1));
}

// ---- apps, from the Kubernetes objects ----------------------------------------------------------

function meta(m: Manifest): Obj {
    return (m.object.metadata ?? {}) as Obj;
}

function nsOf(m: Manifest): string {
    return m.namespace ?? "default";
}

function matches(selector: Obj | undefined, labels: Obj | undefined): boolean {
    if (!selector || Object.keys(selector).length === 0) return false;
    return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

function listenersOf(annotations: Obj): string[] {
    const raw = annotations["alb.ingress.kubernetes.io/listen-ports"];
    if (typeof raw !== "string") return ["HTTP:80"];
    try {
        const ports = JSON.parse(raw) as Array<Record<string, number>>;
        return ports.flatMap((p) => Object.entries(p).map(([proto, port]) => `${proto}:${port}`));
    } catch {
        return [raw];
    }
}

/** A route for people: `*` followed by a path reads "any host, path /api". */
export function routeLabel(route: string): string {
    return route.startsWith("*/") ? `any host, path ${route.slice(1)}` : route;
}

/** Routes of one Ingress to the given Services: `host/path` (host `*` when absent). */
function routesTo(ingress: Manifest, services: ReadonlySet<string>): string[] {
    const spec = (ingress.object.spec ?? {}) as Obj;
    const out: string[] = [];
    if (services.has(spec.defaultBackend?.service?.name)) out.push("* (default backend)");
    for (const rule of (spec.rules ?? []) as Obj[]) {
        for (const p of (rule.http?.paths ?? []) as Obj[]) {
            if (services.has(p.backend?.service?.name)) {
                out.push(`${rule.host ?? "*"}${p.path ?? "/"}${p.pathType && p.pathType !== "Prefix" ? ` (${p.pathType})` : ""}`);
            }
        }
    }
    return out;
}

function exposure(ingress: Manifest, services: ReadonlySet<string>, manifests: readonly Manifest[]): AppRoute | undefined {
    const routes = routesTo(ingress, services);
    if (routes.length === 0) return undefined;
    const annotations = (meta(ingress).annotations ?? {}) as Obj;
    const spec = (ingress.object.spec ?? {}) as Obj;
    const ingressClass: string | undefined = spec.ingressClassName ?? annotations["kubernetes.io/ingress.class"];
    const cls = manifests.find((m) => m.kind === "IngressClass" && m.name === ingressClass);
    const paramsRef = (cls?.object.spec as Obj | undefined)?.parameters as Obj | undefined;
    const params = paramsRef?.kind === "IngressClassParams"
        ? manifests.find((m) => m.kind === "IngressClassParams" && m.name === paramsRef.name)
        : undefined;
    const paramsSpec = (params?.object.spec ?? {}) as Obj;
    const listeners = listenersOf(annotations);
    return {
        ingress: ingress.resource,
        ingressClass,
        scheme: annotations["alb.ingress.kubernetes.io/scheme"] ?? paramsSpec.scheme,
        group: annotations["alb.ingress.kubernetes.io/group.name"] ?? paramsSpec.group?.name,
        routes,
        listeners,
        tls: listeners.some((l) => l.startsWith("HTTPS"))
            && (annotations["alb.ingress.kubernetes.io/certificate-arn"] !== undefined || (paramsSpec.certificateArn ?? []).length > 0
                || spec.tls !== undefined),
    };
}

/**
 * Routes of one HTTPRoute to the given Services, through the Gateways it attaches to: the Gateway's scheme
 * from its LoadBalancerConfiguration, the listener from `sectionName` (components/gateway-api/).
 */
function gatewayExposures(route: Manifest, services: ReadonlySet<string>, manifests: readonly Manifest[]): AppRoute[] {
    const spec = (route.object.spec ?? {}) as Obj;
    const rules = ((spec.rules ?? []) as Obj[]).filter((r) => ((r.backendRefs ?? []) as Obj[]).some((b) => (b.kind ?? "Service") === "Service" && services.has(b.name)));
    if (rules.length === 0) return [];
    const hosts: string[] = (spec.hostnames ?? []).length > 0 ? spec.hostnames : ["*"];
    const paths = rules.flatMap((r) => ((r.matches ?? [{}]) as Obj[]).map((m) => m.path?.value ?? "/"));
    const routes = hosts.flatMap((h) => paths.map((p) => `${h}${p}`));
    return ((spec.parentRefs ?? []) as Obj[]).filter((p) => (p.kind ?? "Gateway") === "Gateway").map((p): AppRoute => {
        const ns = p.namespace ?? nsOf(route);
        const gw = manifests.find((m) => m.kind === "Gateway" && m.name === p.name && nsOf(m) === ns);
        const gwSpec = (gw?.object.spec ?? {}) as Obj;
        const ref = gwSpec.infrastructure?.parametersRef as Obj | undefined;
        const config = ref?.kind === "LoadBalancerConfiguration"
            ? manifests.find((m) => m.kind === "LoadBalancerConfiguration" && m.name === ref.name && nsOf(m) === ns)
            : undefined;
        const configSpec = (config?.object.spec ?? {}) as Obj;
        const listeners = ((gwSpec.listeners ?? []) as Obj[]).filter((l) => p.sectionName === undefined || l.name === p.sectionName)
            .map((l) => `${l.protocol}:${l.port}`);
        return {
            ingress: route.resource,
            gateway: `${ns}/${p.name}`,
            scheme: configSpec.scheme,
            routes,
            listeners,
            tls: listeners.some((l) => l.startsWith("HTTPS"))
                && ((configSpec.listenerConfigurations ?? []) as Obj[]).some((c) => String(c.protocolPort).startsWith("HTTPS") && c.defaultCertificate !== undefined),
        };
    });
}

export function apps(manifests: readonly Manifest[]): AppDecision[] {
    const of = (kind: string) => manifests.filter((m) => m.kind === kind);
    return of("Deployment").map((d): AppDecision => {
        const spec = (d.object.spec ?? {}) as Obj;
        const podLabels = spec.template?.metadata?.labels as Obj | undefined;
        const containers = (spec.template?.spec?.containers ?? []) as Obj[];
        const hpa = of("HorizontalPodAutoscaler").find((h) => nsOf(h) === nsOf(d)
            && (h.object.spec as Obj)?.scaleTargetRef?.kind === "Deployment" && (h.object.spec as Obj)?.scaleTargetRef?.name === d.name);
        const hpaSpec = hpa?.object.spec as Obj | undefined;
        const services = new Set(of("Service")
            .filter((s) => nsOf(s) === nsOf(d) && matches((s.object.spec as Obj)?.selector, podLabels))
            .map((s) => s.name!));
        const routes = of("Ingress")
            .filter((i) => nsOf(i) === nsOf(d))
            .map((i) => exposure(i, services, manifests))
            .filter((r): r is AppRoute => r !== undefined)
            .concat(of("HTTPRoute").filter((r) => nsOf(r) === nsOf(d)).flatMap((r) => gatewayExposures(r, services, manifests)));
        return {
            name: d.name ?? d.resource,
            namespace: nsOf(d),
            replicas: typeof spec.replicas === "number" ? spec.replicas : 1,
            autoscaling: hpaSpec ? {
                minReplicas: hpaSpec.minReplicas,
                maxReplicas: hpaSpec.maxReplicas,
                targetCpuUtilization: ((hpaSpec.metrics ?? []) as Obj[])
                    .find((m) => m.type === "Resource" && m.resource?.name === "cpu")?.resource?.target?.averageUtilization,
            } : undefined,
            images: containers.map((c) => String(c.image)),
            exposure: routes,
        };
    }).sort((a, b) => (`${a.namespace}/${a.name}` < `${b.namespace}/${b.name}` ? -1 : 1));
}

/** ALBs: Ingresses of one group (per scheme) share one; an Ingress without a group gets its own. */
export function loadBalancers(appDecisions: readonly AppDecision[]): LoadBalancerDecision[] {
    const lbs = new Map<string, { scheme: string; group?: string; gateway?: string; apps: Set<string>; listeners: Set<string> }>();
    for (const app of appDecisions) {
        for (const r of app.exposure) {
            const scheme = r.scheme ?? "internal";
            const id = r.gateway ? `${scheme}:gateway/${r.gateway}` : r.group ? `${scheme}:${r.group}` : `${scheme}:${r.ingress}`;
            const lb = lbs.get(id) ?? { scheme, group: r.group, gateway: r.gateway, apps: new Set<string>(), listeners: new Set<string>() };
            lb.apps.add(app.name);
            r.listeners.forEach((l) => lb.listeners.add(l));
            lbs.set(id, lb);
        }
    }
    return [...lbs.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, lb]) => ({
        id,
        ...(lb.gateway ? { gateway: lb.gateway } : {}),
        scheme: lb.scheme,
        group: lb.group,
        apps: [...lb.apps].sort(),
        listeners: [...lb.listeners].sort(),
    }));
}

/** EKS Auto Mode as the program would set it up: the cluster's computeConfig, the NodeClass objects, what AWS runs. */
export function autoModeDecision(r: RegionConfig, eks: Obj, manifests: readonly Manifest[]): AutoModeDecision {
    const caps = computeCapabilities(r.compute);
    const compute = (eks.autoMode?.computeConfig ?? {}) as Obj;
    return {
        builtInNodePools: Array.isArray(compute.nodePools) ? compute.nodePools.map(String) : [],
        nodeRole: compute.nodeRoleArn ? "the platform's (<region>-cluster-node-role)" : "none (no built-in pools)",
        nodeClasses: manifests.filter((m) => m.kind === "NodeClass" && m.apiVersion === "eks.amazonaws.com/v1").map((m) => {
            const spec = (m.object.spec ?? {}) as Obj;
            return {
                name: m.name ?? "(unnamed)",
                ephemeralStorage: spec.ephemeralStorage?.size,
                networkPolicy: spec.networkPolicy,
                encrypted: spec.ephemeralStorage?.kmsKeyID !== undefined,
            };
        }),
        awsRuns: [...caps.ownedAddons, ...caps.ownedControllers],
    };
}

export function regionDecisions(
    platform: PlatformConfig,
    r: RegionConfig,
    entries: readonly ResourceEntry[],
    manifests: readonly Manifest[],
): RegionDecisions {
    const eks = ofType(entries, T.eksCluster)[0]?.inputs ?? {};
    const clusterName = typeof eks.name === "string" ? eks.name : "(not registered)";
    const subnetPlan = subnets(r, entries);
    const appDecisions = apps(manifests);
    const natCount = ofType(entries, T.nat).length;
    return {
        region: r.region,
        vpcCidr: r.vpcCidr,
        availabilityZones: subnetPlan.filter((s) => s.tier === "private").map((s) => s.availabilityZone),
        subnets: subnetPlan,
        natGateways: { strategy: r.network.natGateways, count: natCount || natLayout(r.network.natGateways, r.azCount).count },
        flowLogs: r.network.flowLogs,
        cluster: {
            name: clusterName,
            kubernetesVersion: typeof eks.version === "string" ? eks.version : r.cluster.version,
            support: versionSupport(typeof eks.version === "string" ? eks.version : r.cluster.version, platform.today),
            endpointAccess: r.cluster.endpointAccess,
            publicAccessCidrs: [...r.cluster.publicAccessCidrs],
            adminPrincipals: [...r.cluster.adminPrincipals],
            logTypes: Array.isArray(eks.enabledClusterLogTypes) ? eks.enabledClusterLogTypes.map(String) : [],
            logRetentionDays: r.cluster.logRetentionDays,
            deletionProtection: eks.deletionProtection === true || (eks.deletionProtection === undefined && platform.protect),
        },
        addons: addons(entries, r),
        nodeGroups: nodeGroups(r, clusterName),
        compute: { mode: r.compute.mode, nodePools: nodePools(manifests), ...(r.compute.mode === "auto" ? { autoMode: autoModeDecision(r, eks, manifests) } : {}) },
        fargateProfiles: r.fargateProfiles.map((p) => ({
            name: p.name,
            selectors: p.selectors.map((s) => `namespace ${s.namespace}${s.labels && Object.keys(s.labels).length > 0
                ? ` with ${Object.entries(s.labels).map(([k, v]) => `${k}=${v}`).join(",")}` : ""}`),
        })),
        helmReleases: helmReleases(entries),
        apps: appDecisions,
        loadBalancers: loadBalancers(appDecisions),
    };
}
