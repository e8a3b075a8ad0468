/**
 * architecture.md: a Mermaid flowchart of the stack (regions, VPC, zones and subnets, NAT, cluster,
 * node groups, Karpenter and its node pools, the load balancer controller, apps and their ALBs) that GitHub renders, plus a short
 * table of the same facts for readers without Mermaid.
 */
import { routeLabel } from "./decisions";
import type { PlanModel, RegionDecisions } from "./model";
import { TYPES } from "./resource-types";

/** Mermaid label text: quoted, with the characters Mermaid treats specially escaped as entities. */
function label(text: string): string {
    return `"${text.replace(/&/g, "#amp;").replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;")
        .replace(/#lt;br\/#gt;/g, "<br/>")}"`;
}

/** The Karpenter controller's chart (not its CRD chart), by its OCI reference's last segment. */
function isKarpenterController(chart: string): boolean {
    return chart.split("/").pop() === "karpenter";
}

function regionLines(d: RegionDecisions, i: number): string[] {
    const id = (s: string) => `r${i}_${s}`;
    const lines: string[] = [];
    const add = (indent: number, s: string) => lines.push(`${"    ".repeat(indent)}${s}`);
    const natZones = d.natGateways.count >= d.availabilityZones.length
        ? d.availabilityZones.map((_, z) => z)
        : Array.from({ length: d.natGateways.count }, (_, z) => z);

    add(1, `subgraph ${id("region")}[${label(`Region ${d.region}`)}]`);
    add(2, "direction TB");
    add(2, `subgraph ${id("vpc")}[${label(`VPC ${d.vpcCidr}`)}]`);
    d.availabilityZones.forEach((az, z) => {
        add(3, `subgraph ${id(`z${z}`)}[${label(az)}]`);
        for (const s of d.subnets.filter((x) => x.zone === z)) {
            add(4, `${id(`${s.tier}${z}`)}[${label(`${s.tier} subnet<br/>${s.cidr}`)}]`);
        }
        if (natZones.includes(z)) add(4, `${id(`nat${z}`)}([${label("NAT gateway")}])`);
        add(3, "end");
    });
    const c = d.cluster;
    add(3, `subgraph ${id("eks")}[${label(`EKS ${c.name} · Kubernetes ${c.kubernetesVersion} · endpoint ${c.endpointAccess}`)}]`);
    const auto = d.compute.autoMode;
    d.nodeGroups.forEach((g, n) => {
        add(4, `${id(`ng${n}`)}[${label(`node group ${g.name}<br/>${g.capacityType} ${g.instanceTypes.join(", ")}<br/>${g.minSize}–${g.maxSize} nodes (desired ${g.desiredSize})`)}]`);
    });
    d.compute.nodePools.forEach((p, n) => {
        add(4, `${id(`pool${n}`)}[${label(`${auto ? "Auto Mode" : "Karpenter"} pool ${p.name}<br/>${p.capacityTypes.join(" + ")}${p.weight !== undefined ? ` · weight ${p.weight}` : ""}<br/>`
            + `${p.instanceFamilies.length > 0 ? p.instanceFamilies.join(", ") : `${p.instanceCategories.join("/")} family`} · ${p.architectures.join(", ")}<br/>`
            + `≤ ${p.limits.cpu ?? "?"} vCPU / ${p.limits.memory ?? "?"}`)}]`);
    });
    if (auto) {
        add(4, `${id("auto")}[${label(`EKS Auto Mode (run by AWS)<br/>built-in pools: ${auto.builtInNodePools.join(", ") || "none"}<br/>`
            + `${auto.awsRuns.join(", ")}`)}]`);
    }
    d.fargateProfiles.forEach((p, n) => add(4, `${id(`fg${n}`)}[${label(`Fargate profile ${p.name}`)}]`));
    d.helmReleases.forEach((h, n) => {
        const what = h.chart === "aws-load-balancer-controller" ? "AWS Load Balancer Controller"
            : isKarpenterController(h.chart) ? "Karpenter controller"
                : h.chart.split("/").pop() === "karpenter-crd" ? "Karpenter CRDs" : h.chart;
        add(4, `${id(`helm${n}`)}[${label(`${what}<br/>chart ${h.chart} ${h.version ?? ""}`.trim())}]`);
    });
    d.apps.forEach((a, n) => {
        const replicas = a.autoscaling ? `${a.autoscaling.minReplicas}–${a.autoscaling.maxReplicas} replicas` : `${a.replicas} replicas`;
        add(4, `${id(`app${n}`)}[${label(`app ${a.name} (ns ${a.namespace})<br/>${replicas}<br/>${a.images.join(", ")}`)}]`);
    });
    add(3, "end");
    d.loadBalancers.forEach((lb, n) => {
        add(3, `${id(`alb${n}`)}{{${label(`ALB ${lb.group ?? lb.id}<br/>${lb.scheme} · ${lb.listeners.join(", ")}`)}}}`);
    });
    add(2, "end");
    add(1, "end");

    // Edges: traffic in through the ALBs to the apps; the controller manages the ALBs; nodes egress via NAT.
    d.loadBalancers.forEach((lb, n) => {
        add(1, lb.scheme === "internet-facing" ? `internet --> ${id(`alb${n}`)}` : `${id("vpc")} -.->|${label("in-VPC clients")}| ${id(`alb${n}`)}`);
        for (const appName of lb.apps) {
            const a = d.apps.findIndex((x) => x.name === appName);
            const routes = d.apps[a].exposure.flatMap((r) => r.routes.map(routeLabel));
            add(1, `${id(`alb${n}`)} -->|${label(routes.join("; "))}| ${id(`app${a}`)}`);
        }
        d.helmReleases.forEach((h, m) => {
            if (h.chart === "aws-load-balancer-controller") add(1, `${id(`helm${m}`)} -.->|${label("manages")}| ${id(`alb${n}`)}`);
        });
        if (auto) add(1, `${id("auto")} -.->|${label("manages")}| ${id(`alb${n}`)}`);
    });
    // Karpenter launches each pool's nodes.
    d.helmReleases.forEach((h, m) => {
        if (!isKarpenterController(h.chart)) return;
        d.compute.nodePools.forEach((_, n) => add(1, `${id(`helm${m}`)} -.->|${label("launches")}| ${id(`pool${n}`)}`));
    });
    if (auto) d.compute.nodePools.forEach((_, n) => add(1, `${id("auto")} -.->|${label("launches")}| ${id(`pool${n}`)}`));
    // Private subnets reach the internet through their zone's NAT gateway, or the one shared gateway.
    d.availabilityZones.forEach((_, z) => {
        const nat = natZones.includes(z) ? z : natZones[0];
        if (nat !== undefined) add(1, `${id(`private${z}`)} -.->|${label("egress")}| ${id(`nat${nat}`)}`);
    });
    return lines;
}

/**
 * DNS -> regions -> ALBs (eks-platform:dns): one Route 53 node for the stack, an edge to each region's
 * ALB per name it answers there, labelled with the routing.
 */
function dnsLines(model: PlanModel): string[] {
    const named = model.regions.filter((r) => r.decisions.names && r.decisions.names.records.length > 0);
    if (named.length === 0) return [];
    const out = [`    dns[(${label(`Route 53<br/>${named[0].decisions.names!.routing} routing`)})]`];
    if (model.regions.some((r) => r.decisions.loadBalancers.some((lb) => lb.scheme === "internet-facing"))) out.push("    internet --> dns");
    model.regions.forEach((r, i) => {
        const d = r.decisions;
        for (const rec of (d.names?.records ?? []).filter((x) => !x.routing.startsWith("regional endpoint"))) {
            const app = d.apps.find((a) => a.exposure.some((e) => e.routes.some((route) => route.startsWith(`${rec.name}/`))));
            const n = d.loadBalancers.findIndex((lb) => app !== undefined && lb.apps.includes(app.name));
            if (n >= 0) out.push(`    dns -->|${label(`${rec.name} · ${rec.routing}`)}| r${i}_alb${n}`);
        }
    });
    return out;
}

function table(model: PlanModel): string[] {
    const rows = model.regions.map(({ decisions: d }) => {
        const nodes = [
            ...d.nodeGroups.map((g) => `${g.name}: ${g.capacityType} ${g.minSize}–${g.maxSize}`),
            ...(d.compute.autoMode ? [`Auto Mode built-in: ${d.compute.autoMode.builtInNodePools.join(", ") || "none"}`] : []),
            ...d.compute.nodePools.map((p) => `${d.compute.autoMode ? "Auto Mode" : "Karpenter"} ${p.name}: ${p.capacityTypes.join("+")} ≤ ${p.limits.cpu} vCPU`),
        ].join("; ");
        const apps = d.apps.map((a) => `${a.name} ×${a.autoscaling ? `${a.autoscaling.minReplicas}–${a.autoscaling.maxReplicas}` : a.replicas}`).join("; ");
        return `| ${d.region} | ${d.vpcCidr} | ${d.availabilityZones.join(", ")} | ${d.natGateways.count} | ${d.cluster.name} (${d.cluster.kubernetesVersion}, ${d.cluster.endpointAccess}) | ${nodes || "none"} | ${apps || "none"} |`;
    });
    return [
        "| Region | VPC | Zones | NAT | Cluster | Node groups | Apps |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        ...rows,
    ];
}

export function architectureMarkdown(model: PlanModel): string {
    const lines = [
        `# Architecture of stack \`${model.stack}\``,
        "",
        `Generated by \`npm run plan -- ${model.stack}\` from \`Pulumi.${model.stack}.yaml\` (offline, no AWS). Do not edit; re-run the plan.`,
        "",
        "```mermaid",
        "flowchart LR",
    ];
    if (model.regions.some((r) => r.decisions.loadBalancers.some((lb) => lb.scheme === "internet-facing"))) {
        lines.push(`    internet((${label("Internet")}))`);
    }
    model.regions.forEach((r, i) => lines.push(...regionLines(r.decisions, i)));
    lines.push(...dnsLines(model));
    lines.push("```", "", ...table(model), "", ...dashboardSection(model));
    return lines.join("\n");
}

/** What the environment's CloudWatch dashboard will show (components/dashboard-plan.ts), widget by widget. */
export function dashboardSection(model: PlanModel): string[] {
    const dashboards = model.resources.filter((r) => r.type === TYPES.dashboard);
    return dashboards.flatMap((d) => {
        let body: { widgets?: Array<{ type: string; y: number; x: number; properties: Record<string, any> }> };
        try {
            body = JSON.parse(String(d.inputs.dashboardBody));
        } catch {
            return [];
        }
        const what = (w: { type: string; properties: Record<string, any> }): string => {
            if (w.type === "alarm") return `${(w.properties.alarms ?? []).length} alarm(s): ${(w.properties.alarms ?? []).map((a: string) => a.split(":alarm:")[1]).join(", ")}`;
            return (w.properties.metrics ?? []).map((m: any[]) => (typeof m[0] === "string" ? `${m[0]} ${m[1]}` : `Metrics Insights: ${String(m[0]?.expression ?? "").replace(/\|/g, "\\|")}`)).join("; ");
        };
        return [
            `## Dashboard \`${d.inputs.dashboardName}\``,
            "",
            "One CloudWatch dashboard for the environment: alarm states at the top, then one row per region.",
            "",
            "| Row | Widget | Region | Shows |",
            "| --- | --- | --- | --- |",
            ...(body.widgets ?? []).map((w) => `| ${w.y === 0 ? "top" : `${Math.floor((w.y - 3) / 6) + 1}`} | ${w.type}: ${String(w.properties.title ?? "").replace(/\|/g, "\\|")} | ${w.properties.region ?? ([...new Set((w.properties.alarms ?? []).map((a: string) => a.split(":")[3]))].join(", ") || "-")} | ${what(w)} |`),
            "",
        ];
    });
}
