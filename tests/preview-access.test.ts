/**
 * Preview principals: an access entry in the preview group each (no EKS access policy), and the
 * ClusterRole a server-side-apply dry run of this program needs, bound to that group.
 */
import * as assert from "assert";
import { Cluster } from "../components/cluster";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { PREVIEW_GROUP, PREVIEW_RULES, previewAccessEntries } from "../components/preview-rbac";
import { runProgram } from "../tools/harness/program";
import { T, cliConfig, ofType, runComponent, validRaw } from "./support/fixtures";

const ADMIN = "arn:aws:iam::123456789012:role/platform-admin";
const PREVIEW = "arn:aws:iam::123456789012:role/ci-preview";

describe("preview principals", function () {
    this.timeout(60_000);

    it("get an access entry in the preview group, with no access policy, beside the admins'", async () => {
        assert.deepStrictEqual(previewAccessEntries([PREVIEW, PREVIEW]), {
            "preview-role-ci-preview": { principalArn: PREVIEW, type: "STANDARD", kubernetesGroups: [PREVIEW_GROUP] },
        });
        // The component is not the program's output: its fields (modeNodeRole is undefined outside Auto Mode)
        // would print "Undefined value ... will not show as a stack output" in npm test.
        const { records } = await runComponent((provider) => {
            new Cluster("c", {
                provider, clusterName: "test-ap-northeast-2", version: "1.33", vpcId: "vpc-1", privateSubnetIds: ["subnet-a"],
                adminPrincipals: [ADMIN], previewPrincipals: [PREVIEW], publicAccessCidrs: ["203.0.113.0/24"], endpointAccess: "public-and-private",
            });
            return {};
        });
        const entries = ofType(records, T.eksCluster)[0].inputs.accessEntries;
        assert.deepStrictEqual(Object.keys(entries), ["admin-role-platform-admin", "preview-role-ci-preview"]);
        assert.deepStrictEqual(entries["preview-role-ci-preview"], { principalArn: PREVIEW, type: "STANDARD", kubernetesGroups: ["eks-platform:previewers"] });
    });

    it("may only read the kinds the program manages, and no Secret anywhere", async () => {
        // A forbidden dry run makes the provider preview client-side (pulumi-kubernetes provider.go,
        // Create/Update: IsForbidden in preview), so no write verb is needed, and none may be granted:
        // the preview job runs pull-request code.
        for (const rule of PREVIEW_RULES) {
            assert.deepStrictEqual(rule.verbs, ["get", "list", "watch"]);
        }
        const granted = new Set(PREVIEW_RULES.flatMap((r) => r.resources.map((res) => `${r.apiGroups[0]}/${res}`)));
        assert.ok(![...granted].some((g) => g.startsWith("rbac.authorization.k8s.io/") || g.includes("*")));
        assert.ok(!granted.has("/secrets"), "no cluster-wide Secrets");
        // Every Kubernetes kind the dev stack registers (but the Helm release, which Helm applies, and
        // the RBAC objects themselves) is covered: a new kind in the program must be added here.
        const raw = { ...validRaw(), previewPrincipals: [PREVIEW], apps: [{ name: "web", namespace: "web", image: "nginxinc/nginx-unprivileged:1.27.3-alpine", containerPort: 8080, secretEnv: { TOKEN: "x" }, autoscaling: { minReplicas: 2, maxReplicas: 4 }, route: "both" }] };
        const { records } = await runProgram("test", { config: cliConfig(raw) });
        const plural: Record<string, string> = {
            Namespace: "namespaces", ServiceAccount: "serviceaccounts", Service: "services", Deployment: "deployments",
            HorizontalPodAutoscaler: "horizontalpodautoscalers", Ingress: "ingresses", IngressClass: "ingressclasses",
            NetworkPolicy: "networkpolicies", PodDisruptionBudget: "poddisruptionbudgets", StorageClass: "storageclasses",
            IngressClassParams: "ingressclassparams", NodePool: "nodepools", EC2NodeClass: "ec2nodeclasses",
            GatewayClass: "gatewayclasses", Gateway: "gateways", HTTPRoute: "httproutes",
            LoadBalancerConfiguration: "loadbalancerconfigurations", TargetGroupConfiguration: "targetgroupconfigurations",
        };
        const kinds = new Set(records.filter((r) => r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:helm.sh/")
            && !r.type.startsWith("kubernetes:rbac.authorization.k8s.io/") && r.custom)
            .map((r) => (r.type === "kubernetes:apiextensions.k8s.io:CustomResource" ? r.inputs.kind : r.type.split(":").pop()) as string)
            // An app's Secret is diffed client-side; reading it is deliberately not granted.
            .filter((kind) => kind !== "Secret"));
        for (const kind of kinds) {
            assert.ok(plural[kind], `no plural for ${kind}: add the kind to PREVIEW_RULES`);
            assert.ok([...granted].some((g) => g.endsWith(`/${plural[kind]}`)), `${kind} not granted`);
        }
        assert.ok(kinds.size >= 10, [...kinds].join(", "));
        for (const kind of ["Gateway", "HTTPRoute", "TargetGroupConfiguration"]) assert.ok(kinds.has(kind), `the run registers no ${kind}`);
        const role = ofType(records, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole")[0];
        assert.deepStrictEqual(role.inputs.rules, PREVIEW_RULES);
        const binding = ofType(records, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding")[0];
        assert.deepStrictEqual(binding.inputs.subjects, [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: PREVIEW_GROUP }]);
        assert.strictEqual(binding.inputs.roleRef.name, role.inputs.metadata.name);
        assert.strictEqual(role.provider, "pulumi:providers:kubernetes::test-ap-northeast-2-k8s");
        // No Secret read anywhere: every (Cluster)Role bound to the preview group, whatever its namespace.
        // Helm's release records are Secrets holding rendered manifests (the controller's webhook key
        // among them); previews render Helm releases client-side and never need them.
        const bindings = records.filter((r) => /:rbac\.authorization\.k8s\.io\/v1:(Cluster)?RoleBinding$/.test(r.type)
            && (r.inputs.subjects ?? []).some((s: { name: string }) => s.name === PREVIEW_GROUP));
        assert.ok(bindings.length >= 1);
        const roles = records.filter((r) => /:rbac\.authorization\.k8s\.io\/v1:(Cluster)?Role$/.test(r.type)
            && bindings.some((b) => b.inputs.roleRef.name === r.inputs.metadata.name));
        assert.strictEqual(roles.length, bindings.length, "every preview binding names a role the program registers");
        for (const r of roles) {
            for (const rule of r.inputs.rules as { apiGroups: string[]; resources: string[] }[]) {
                const core = rule.apiGroups.includes("") || rule.apiGroups.includes("*");
                assert.ok(!(core && (rule.resources.includes("secrets") || rule.resources.includes("*"))), `${r.name} grants Secrets: ${JSON.stringify(rule)}`);
            }
        }
    });

    it("are not registered without preview principals, and may not also be admins", async () => {
        const { records } = await runProgram("test", { config: cliConfig(validRaw()) });
        assert.strictEqual(ofType(records, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole").length, 0);
        const { parsePlatformConfig } = await import("../stacks/config");
        assert.throws(() => parsePlatformConfig({ ...validRaw(), previewPrincipals: [ADMIN] } as any, "x"),
            /eks-platform:previewPrincipals\[0\] = ".*platform-admin": is also in eks-platform:adminPrincipals/);
    });

    it("are never asked to refresh: the pull-request preview passes no --refresh and the project sets no default refresh", () => {
        // A refresh reads Helm's release records (Secrets), which the preview principals may not read.
        const root = path.join(__dirname, "..");
        const workflow = parse(fs.readFileSync(path.join(root, ".github/workflows/platform.yml"), "utf8"));
        const preview = workflow.jobs.preview.steps.map((s: { run?: string }) => s.run ?? "").join("\n");
        assert.match(preview, /npm run rollout -- --stack \$\{\{ matrix\.stack \}\} --preview/);
        assert.doesNotMatch(preview, /--refresh/);
        // `pulumi preview` refreshes by itself only when the project says `options: refresh: always`.
        const project = parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8"));
        assert.strictEqual(project.options?.refresh, undefined);
        assert.doesNotMatch(String(project.config["eks-platform:previewPrincipals"].description), /apply/);
    });
});
