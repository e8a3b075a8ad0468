/**
 * What a user should read before `pulumi up`: things the config allows but that bite at deploy
 * time or in an outage. Each names what it is about.
 */
import type { PlatformConfig } from "../../stacks/config";
import { AMI_RELEASE } from "../../facts/ami-releases";
import { AMI_RELEASE_MAX_AGE_DAYS, amiReleaseCoverage } from "../../facts/ami-release-coverage";
import { daysUntil } from "../../facts/eks-versions";
import type { ManifestCheck, RegionDecisions, SchemaInfo, Warning } from "./model";

export function regionWarnings(platform: PlatformConfig, d: RegionDecisions, kubernetesObjects: number): Warning[] {
    const out: Warning[] = [];
    const w = (subject: string, message: string) => out.push({ region: d.region, subject, message });
    const k8sWork = kubernetesObjects + d.helmReleases.length;

    if (d.cluster.endpointAccess === "private") {
        w("endpointAccess", "the cluster API endpoint is private: run `pulumi up` from a runner inside the VPC "
            + `(${d.vpcCidr}) or connected to it (VPN, peering, transit gateway); from anywhere else the Kubernetes `
            + `provider cannot reach the cluster and the ${k8sWork} Kubernetes resources fail`);
    } else if (k8sWork > 0) {
        w("publicAccessCidrs", `\`pulumi up\` applies ${k8sWork} Kubernetes resources through the public API endpoint, `
            + `which admits only ${d.cluster.publicAccessCidrs.join(", ")}: run it from an address in that list`);
    }

    if (platform.production) {
        for (const g of d.nodeGroups.filter((n) => n.capacityType === "SPOT")) {
            w(`nodeGroups ${g.name}`, "spot-only node group in production: AWS may reclaim its instances at two minutes' notice; "
                + "keep the system pods and the load balancer controller on an ON_DEMAND group");
        }
        if (d.nodeGroups.length > 0 && d.nodeGroups.every((n) => n.capacityType === "SPOT") && d.fargateProfiles.length === 0) {
            w("nodeGroups", "production has no on-demand capacity at all: a spot shortage can leave the cluster without nodes");
        }
        if (!d.flowLogs) w("flowLogs", "VPC flow logs are off in production: there is no network record for an incident");
        if (!platform.protect) w("protect", "production without deletion protection: `pulumi destroy` can delete the cluster");
    }

    if (d.compute.mode === "karpenter") {
        const release = AMI_RELEASE.al2023;
        const published = amiReleaseCoverage("al2023", release)?.published;
        const age = published === undefined ? undefined : daysUntil(platform.today, published);
        if (age !== undefined && age > AMI_RELEASE_MAX_AGE_DAYS) {
            w("karpenter AMI", `the node classes pin AMI release al2023@${release} (facts/data/ami-releases.json), published ${published}: ` +
                `${age} days old on ${platform.today} (more than ${AMI_RELEASE_MAX_AGE_DAYS}), so new nodes start without the fixes of later releases; ` +
                "pin a newer release that covers the cluster's minor (facts/data/ami-release-coverage.json); Karpenter then replaces the nodes within the disruption budgets");
        }
    }

    const unverified = d.addons.filter((a) => a.unverified).map((a) => a.name);
    if (unverified.length > 0) {
        w("addonVersions", `the pinned versions of ${unverified.join(", ")} for Kubernetes ${d.cluster.kubernetesVersion} are samples not read ` +
            "from AWS (facts/data/addon-versions.json): run `npm run facts -- --refresh addon-versions` with AWS credentials and commit it " +
            "before a real `pulumi up`, or pin them with eks-platform:addonVersions; a version EKS does not offer fails the add-on's update");
    }

    if (d.natGateways.count === 1 && d.availabilityZones.length > 1) {
        w("natGateways", `one NAT gateway (in ${d.availabilityZones[0]}) serves every zone: if that zone fails, `
            + "the private subnets of the other zones lose internet egress");
    }

    for (const app of d.apps) {
        const min = app.autoscaling?.minReplicas ?? app.replicas;
        if (min < 2) {
            w(`app ${app.name}`, `runs ${min} replica: a node drain, an upgrade or a zone failure takes it offline`);
        }
        for (const r of app.exposure) {
            if (r.scheme === "internet-facing" && !r.tls) {
                w(`app ${app.name}`, `serves plain HTTP to the internet (no HTTPS listener with a certificate): `
                    + `add an ACM certificate from ${d.region} to its certificateArns`);
            }
        }
    }
    return out;
}

/** What checking against another release's schemas can get wrong, by direction. */
export function schemaSkew(schemaVersion: string, configured: string): string {
    const minor = (v: string) => Number(/^1\.(\d+)/.exec(v)?.[1] ?? NaN);
    const [s, c] = [minor(schemaVersion), minor(configured)];
    if (s > c) return `a field added after ${configured} would pass here and be rejected by the cluster`;
    if (s < c) return `a field added after 1.${s} would be reported invalid here although the cluster accepts it, and the check knows nothing newer`;
    return "the versions differ";
}

export function schemaWarnings(schema: SchemaInfo, checks: readonly ManifestCheck[]): Warning[] {
    const out: Warning[] = [];
    if (!schema.matches && checks.length > 0) {
        out.push({
            subject: "kubernetesVersion",
            message: `Kubernetes objects were checked against the ${schema.kubernetesVersion} schemas of ${schema.package}, `
                + `not ${schema.configuredVersion}: ${schemaSkew(schema.kubernetesVersion, schema.configuredVersion)}`,
        });
    }
    const unchecked = checks.filter((c) => c.status === "not-checked");
    for (const region of [...new Set(unchecked.map((c) => c.region))]) {
        const here = unchecked.filter((c) => c.region === region);
        out.push({
            region,
            subject: "Kubernetes objects",
            message: `${here.length} object${here.length === 1 ? " was" : "s were"} not schema-checked: `
                + here.map((c) => `${c.kind} ${c.name ?? c.resource} (${c.reason})`).join("; "),
        });
    }
    return out;
}
