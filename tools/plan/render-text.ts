/**
 * The plan as a person reads it in a terminal: per region the decisions, the Kubernetes objects and
 * their schema check, counts by type and the component tree; then the warnings.
 */
import { factAgeLine } from "./fact-age";
import { CHECKED_ON, VersionSupport } from "../../facts/eks-versions";
import { routeLabel } from "./decisions";
import { namesLines } from "./dns-plan";
import type { ManifestCheck, PlanModel, RegionPlan, Warning } from "./model";
import { renderTree, treeSize } from "./tree";

const TREE_NOTES = {
    "eks:index:Cluster": "[remote component: @pulumi/eks creates its children at deploy time; not shown]",
};

/** Rows of cells as lines whose columns line up (3 spaces between columns, no trailing blanks). */
export function alignColumns(rows: readonly (readonly string[])[]): string[] {
    const widths = rows.reduce<number[]>((w, r) => r.map((cell, i) => Math.max(w[i] ?? 0, cell.length)), []);
    return rows.map((r) => r.map((cell, i) => (i < r.length - 1 ? cell.padEnd(widths[i]) : cell)).join("   ").trimEnd());
}

function pad(s: string, n: number): string {
    return s.length >= n ? `${s} ` : s + " ".repeat(n - s.length);
}

function objectLabel(c: Pick<ManifestCheck, "kind" | "name" | "namespace" | "resource">): string {
    return `${c.kind} ${c.namespace ? `${c.namespace}/` : ""}${c.name ?? `(auto-named from ${c.resource.split("::")[1]})`}`;
}

/** "standard support ends 2027-08-02, 246 days left" and the like. */
export function supportLabel(s: VersionSupport): string {
    switch (s.state) {
        case "standard": return `standard support ends ${s.endOfStandardSupport}, ${s.standardSupportDaysLeft} days left`;
        case "extended": return `extended support (billed extra), ends ${s.endOfExtendedSupport}; standard support ended ${s.endOfStandardSupport}`;
        case "ended": return `EKS support ended ${s.endOfExtendedSupport}`;
        case "not-released": return "not yet released on EKS";
        case "unknown": return "not in the EKS version table";
    }
}

function regionSection(r: RegionPlan, manifestFile: string | undefined, out: string[]): void {
    const d = r.decisions;
    const line = (s = "") => out.push(s);
    line(`== Region ${d.region} (${r.component.split("::")[1]}) ==`);
    line();
    line("Network");
    line(`  VPC ${d.vpcCidr} over ${d.availabilityZones.length} zones: ${d.availabilityZones.join(", ")}`);
    line(`    ${pad("zone", 18)}${pad("public subnet", 18)}private subnet`);
    d.availabilityZones.forEach((az, z) => {
        const cidr = (tier: string) => d.subnets.find((s) => s.zone === z && s.tier === tier)?.cidr ?? "-";
        line(`    ${pad(az, 18)}${pad(cidr("public"), 18)}${cidr("private")}`);
    });
    line(`  NAT gateways: ${d.natGateways.count} (${d.natGateways.strategy})   Flow logs: ${d.flowLogs ? "on" : "off"}`);
    line();

    const c = d.cluster;
    line(`Cluster ${c.name}`);
    const allowList = c.endpointAccess === "private" ? "no public endpoint" : `public allow-list ${c.publicAccessCidrs.join(", ") || "(none)"}`;
    line(`  Kubernetes ${c.kubernetesVersion} (${supportLabel(c.support)})   endpoint ${c.endpointAccess}, ${allowList}`);
    line(`  Admins: ${c.adminPrincipals.join(", ") || "(none)"}`);
    line(`  Control-plane logs: ${c.logTypes.join(", ") || "(none)"} (${c.logRetentionDays} days)   Deletion protection: ${c.deletionProtection ? "on" : "off"}`);
    const addons = d.addons.map((a) => `${a.name}${a.version ? ` ${a.version}` : ""}${a.pinnedBy === "override" ? " (eks-platform:addonVersions)" : ""}` +
        `${a.unverified ? " (unverified)" : ""}${a.awsDefault ? ` (AWS default ${a.awsDefault.version}${a.awsDefault.read ? ` as of ${a.awsDefault.read}` : ""})` : ""}` +
        `${a.podIdentityServiceAccount ? ` (Pod Identity: ${a.podIdentityServiceAccount})` : ""}`);
    // The versions are pinned per Kubernetes minor (facts/data/addon-versions.json, components/addon.ts):
    // what the plan shows is what `pulumi up` installs.
    line(`  Add-ons (pinned for ${c.kubernetesVersion}: facts/data/addon-versions.json)${d.addons.some((a) => !a.version) ? ` [unpinned ones get EKS's default]` : ""}: ${addons.join(", ") || "none"}`);
    line();

    line(d.nodeGroups.length > 0 ? "Node groups" : "Node groups: none");
    // One row per group, every column as wide as its widest cell, so the columns line up.
    const groupRows = d.nodeGroups.map((g) => {
        const labels = Object.entries(g.labels).map(([k, v]) => `${k}=${v}`).join(",");
        return [g.name, g.capacityType, g.instanceTypes.join(", "), `min ${g.minSize} / desired ${g.desiredSize} / max ${g.maxSize}`,
            `${g.diskSizeGiB} GiB`, g.amiType, [labels && `labels ${labels}`, g.taints.length > 0 && `taints ${g.taints.join(",")}`].filter(Boolean).join("   ")];
    });
    for (const row of alignColumns(groupRows)) line(`  ${row}`);
    if (d.compute.mode !== "managed-node-groups") {
        line(`Compute: ${d.compute.mode}${d.compute.mode === "karpenter" ? " (the node groups are the system nodes; Karpenter launches the rest)" : ""}`
            + `${d.compute.mode === "auto" ? " (EKS Auto Mode: AWS launches every node)" : ""}`);
        const auto = d.compute.autoMode;
        if (auto) {
            line(`  Built-in node pools: ${auto.builtInNodePools.join(", ") || "none"}   node role ${auto.nodeRole}`);
            line(auto.nodeClasses.length > 0 ? "  NodeClasses" : "  NodeClasses: the built-in default only");
            for (const c of auto.nodeClasses) {
                line(`    ${pad(c.name, 12)}ephemeral ${c.ephemeralStorage ?? "-"}${c.encrypted ? " (KMS)" : ""}   network policy ${c.networkPolicy ?? "-"}`);
            }
            line(`  AWS runs (not registered here): ${auto.awsRuns.join(", ")}`);
        }
        line(d.compute.nodePools.length > 0 ? "  Node pools (highest weight first)" : "  Node pools: none");
        for (const p of d.compute.nodePools) {
            const families = p.instanceFamilies.length > 0 ? `families ${p.instanceFamilies.join(",")}` : `categories ${p.instanceCategories.join(",")}`;
            line(`    ${pad(p.name, 12)}${pad(p.capacityTypes.join("+"), 18)}weight ${p.weight ?? "-"}   ${families}`
                + `${p.minInstanceGeneration !== undefined ? ` gen>=${p.minInstanceGeneration}` : ""}   ${p.architectures.join(",")}`
                + `   zones ${p.zones.length > 0 ? p.zones.join(",") : "all"}   limits ${p.limits.cpu ?? "-"} vCPU / ${p.limits.memory ?? "-"}`);
            line(`    ${pad("", 12)}expire ${p.expireAfter ?? "-"}   ${p.consolidationPolicy ?? "-"} after ${p.consolidateAfter ?? "-"}   budgets ${p.budgets.join("; ") || "-"}`
                + `${p.taints.length > 0 ? `   taints ${p.taints.join(",")}` : ""}   class ${p.nodeClass}`);
        }
    }
    line(d.fargateProfiles.length > 0 ? "Fargate profiles" : "Fargate profiles: none");
    for (const p of d.fargateProfiles) line(`  ${p.name}: ${p.selectors.join("; ")}`);
    line();

    line(d.helmReleases.length > 0 ? "Helm releases" : "Helm releases: none");
    for (const h of d.helmReleases) {
        line(`  ${h.chart} ${h.version ?? "(latest)"}${h.repo ? ` from ${h.repo}` : ""}${h.namespace ? `, namespace ${h.namespace}` : ""}`);
    }
    line(d.apps.length > 0 ? "Apps" : "Apps: none");
    for (const a of d.apps) {
        const replicas = a.autoscaling
            ? `${a.replicas} replicas, autoscaled ${a.autoscaling.minReplicas}–${a.autoscaling.maxReplicas}${a.autoscaling.targetCpuUtilization ? ` at ${a.autoscaling.targetCpuUtilization}% CPU` : ""}`
            : `${a.replicas} replica${a.replicas === 1 ? "" : "s"}`;
        line(`  ${a.name} (namespace ${a.namespace}): ${replicas}, image ${a.images.join(", ")}`);
        if (a.exposure.length === 0) line("    not exposed (no Ingress or HTTPRoute routes to it)");
        for (const e of a.exposure) {
            line(`    ${e.scheme ?? "(scheme unset)"} ALB${e.gateway ? ` of Gateway ${e.gateway} (HTTPRoute)` : e.group ? ` group ${e.group}` : ""}, ${e.listeners.join(" + ")}${e.tls ? " (TLS)" : ""}, route ${e.routes.map(routeLabel).join("; ")}`);
        }
    }
    for (const lb of d.loadBalancers) {
        line(`  ALB ${lb.gateway ? `Gateway ${lb.gateway}` : lb.group ?? lb.id}: ${lb.scheme}, ${lb.listeners.join(" + ")} -> ${lb.apps.join(", ")}`);
    }
    if (d.names) for (const l of namesLines(d.names)) line(l);
    line();

    const valid = r.checks.filter((x) => x.status === "valid").length;
    const invalid = r.checks.filter((x) => x.status === "invalid").length;
    const unchecked = r.checks.filter((x) => x.status === "not-checked").length;
    line(`Kubernetes objects: ${r.checks.length} (${valid} valid, ${invalid} invalid, ${unchecked} not schema-checked)${manifestFile ? ` -> ${manifestFile}` : ""}`);
    for (const x of r.checks) {
        const mark = x.status === "valid" ? "valid    " : x.status === "invalid" ? "INVALID  " : "unchecked";
        line(`  ${mark} ${pad(objectLabel(x), 44)}${x.apiVersion}${x.reason ? `   ${x.reason}` : ""}`);
        for (const e of x.errors) line(`              ${e.field}: ${e.message}`);
    }
    line();

    line(`Resources in this region: ${treeSize(r.tree)} (by type; the stack total adds the root Stack)`);
    for (const [type, n] of Object.entries(r.counts)) line(`  ${String(n).padStart(4)}  ${type}`);
    line();
    line("Component tree");
    for (const l of renderTree(r.tree, TREE_NOTES)) line(`  ${l}`);
    line();
}

/** Warnings as printed: one that several regions share (same subject and message) once, naming them all. */
export function warningLines(warnings: readonly Warning[]): string[] {
    const groups = new Map<string, { w: Warning; regions: string[] }>();
    for (const w of warnings) {
        const id = `${w.region === undefined ? "stack" : "region"}\u0000${w.subject}\u0000${w.message}`;
        const g = groups.get(id);
        if (g) g.regions.push(w.region!);
        else groups.set(id, { w, regions: w.region === undefined ? [] : [w.region] });
    }
    return [...groups.values()].map(({ w, regions }) => `  ! ${regions.length > 0 ? `[${regions.join(", ")}] ` : ""}${w.subject}: ${w.message}`);
}

export interface TextOptions {
    /** Manifest file per region as shown to the user (e.g. plan/dev/manifests/ap-northeast-2.yaml). */
    readonly manifestFiles?: Readonly<Record<string, string>>;
    /** Files written, as shown to the user. */
    readonly written?: readonly string[];
}

export function renderText(model: PlanModel, options: TextOptions = {}): string {
    const out: string[] = [];
    const s = model.schema;
    out.push(`Offline plan of stack "${model.stack}" (project ${model.project}, environment ${model.environment}, ${model.production ? "production" : "non-production"})`);
    out.push("Mock engine: no AWS, no Pulumi CLI, no network. IDs, ARNs and hostnames are placeholders; secrets show as [secret].");
    out.push(factAgeLine(model.facts));
    out.push(`EKS support calendar read for ${model.today} (facts/data/eks-versions.json, checked ${CHECKED_ON}; set another day with --today).`);
    out.push(`Kubernetes objects checked against the Kubernetes ${s.kubernetesVersion} API schemas (${s.package}); configured version ${s.configuredVersion}`
        + `${s.matches ? "." : ` (MISMATCH: see warnings).`}`);
    out.push("");
    for (const r of model.regions) regionSection(r, options.manifestFiles?.[r.region], out);
    if (model.stackTree.children.length > 0) {
        out.push("Stack-level resources");
        for (const l of renderTree(model.stackTree, TREE_NOTES)) out.push(`  ${l}`);
        out.push("");
    }
    const warnings = warningLines(model.warnings);
    out.push(warnings.length > 0 ? `Warnings (${warnings.length}): read these before \`pulumi up\`` : "Warnings: none");
    out.push(...warnings);
    out.push("");
    if (options.written && options.written.length > 0) {
        out.push("Wrote:");
        for (const f of options.written) out.push(`  ${f}`);
        out.push("");
    }
    const checks = model.regions.flatMap((r) => r.checks);
    const invalid = checks.filter((c) => c.status === "invalid").length;
    const unchecked = checks.filter((c) => c.status === "not-checked").length;
    const total = model.resources.length;
    out.push(invalid > 0
        ? `NOT VALID: ${invalid} of ${checks.length} Kubernetes objects fail the Kubernetes ${s.kubernetesVersion} schemas (listed above).`
        : `Planned: ${total} resources in ${model.regions.length} region${model.regions.length === 1 ? "" : "s"}; `
            + `${checks.length - unchecked} Kubernetes objects valid${unchecked > 0 ? `, ${unchecked} not schema-checked` : ""}.`);
    return `${out.join("\n")}\n`;
}
