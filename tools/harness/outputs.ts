/**
 * Realistic outputs for the resources this program registers, by type token.
 *
 * Remote components (`eks:index:Cluster`) arrive under mocks as one resource whose outputs are
 * whatever we return here, so they are shaped like the real component's outputs. Custom resources
 * echo their inputs (as the engine does for most input properties) plus the computed properties
 * that this program reads (ids, ARNs, names).
 */
export const MOCK_ACCOUNT_ID = "123456789012";

export interface OutputContext {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, any>;
    /** Region of the provider the resource is registered with, when known. */
    readonly region?: string;
}

/** A deterministic short hex suffix derived from a name, so ids are stable between runs. */
export function fakeHex(seed: string, length = 17): string {
    let h = 2166136261;
    let out = "";
    while (out.length < length) {
        for (let i = 0; i < seed.length; i++) {
            h ^= seed.charCodeAt(i);
            h = Math.imul(h, 16777619) >>> 0;
        }
        out += h.toString(16).padStart(8, "0");
        seed += "#";
    }
    return out.slice(0, length);
}

const ID_PREFIX: Record<string, string> = {
    "aws:ec2/vpc:Vpc": "vpc-",
    "aws:ec2/subnet:Subnet": "subnet-",
    "aws:ec2/internetGateway:InternetGateway": "igw-",
    "aws:ec2/natGateway:NatGateway": "nat-",
    "aws:ec2/eip:Eip": "eipalloc-",
    "aws:ec2/routeTable:RouteTable": "rtb-",
    "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce-",
    "aws:ec2/launchTemplate:LaunchTemplate": "lt-",
    "aws:ec2/securityGroup:SecurityGroup": "sg-",
    "aws:ec2/flowLog:FlowLog": "fl-",
};

const AUTONAMED = new Set(["aws:iam/role:Role", "aws:iam/policy:Policy", "aws:sqs/queue:Queue", "aws:cloudwatch/eventRule:EventRule"]);

function arnFor(ctx: OutputContext): string | undefined {
    const region = ctx.region ?? "us-east-1";
    const n = ctx.inputs.name ?? ctx.name;
    switch (ctx.type) {
        case "aws:iam/role:Role":
            return `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${n}`;
        case "aws:iam/policy:Policy":
            return `arn:aws:iam::${MOCK_ACCOUNT_ID}:policy/${n}`;
        case "aws:kms/key:Key":
            return `arn:aws:kms:${region}:${MOCK_ACCOUNT_ID}:key/${fakeHex(ctx.name, 8)}-0000-4000-8000-${fakeHex(ctx.name + "k", 12)}`;
        case "aws:kms/alias:Alias":
            return `arn:aws:kms:${region}:${MOCK_ACCOUNT_ID}:${n}`;
        case "aws:cloudwatch/logGroup:LogGroup":
            return `arn:aws:logs:${region}:${MOCK_ACCOUNT_ID}:log-group:${n}`;
        case "aws:eks/nodeGroup:NodeGroup":
            return `arn:aws:eks:${region}:${MOCK_ACCOUNT_ID}:nodegroup/${ctx.inputs.clusterName}/${ctx.inputs.nodeGroupName ?? ctx.name}/${fakeHex(ctx.name, 8)}`;
        case "aws:eks/fargateProfile:FargateProfile":
            return `arn:aws:eks:${region}:${MOCK_ACCOUNT_ID}:fargateprofile/${ctx.inputs.clusterName}/${ctx.inputs.fargateProfileName ?? ctx.name}/${fakeHex(ctx.name, 8)}`;
        case "aws:eks/addon:Addon":
            return `arn:aws:eks:${region}:${MOCK_ACCOUNT_ID}:addon/${ctx.inputs.clusterName}/${ctx.inputs.addonName}/${fakeHex(ctx.name, 8)}`;
        case "aws:sqs/queue:Queue":
            return `arn:aws:sqs:${region}:${MOCK_ACCOUNT_ID}:${n}`;
        case "aws:cloudwatch/eventRule:EventRule":
            return `arn:aws:events:${region}:${MOCK_ACCOUNT_ID}:rule/${n}`;
        case "aws:eks/accessEntry:AccessEntry":
            return `arn:aws:eks:${region}:${MOCK_ACCOUNT_ID}:access-entry/${ctx.inputs.clusterName}/role/${MOCK_ACCOUNT_ID}/${fakeHex(ctx.name, 8)}`;
        case "aws:eks/podIdentityAssociation:PodIdentityAssociation":
            return `arn:aws:eks:${region}:${MOCK_ACCOUNT_ID}:podidentityassociation/${ctx.inputs.clusterName}/a-${fakeHex(ctx.name)}`;
        default:
            return undefined;
    }
}

/** The `eks:index:Cluster` component's outputs, shaped as @pulumi/eks v4 returns them. */
function eksClusterOutputs(ctx: OutputContext): Record<string, any> {
    const region = ctx.region ?? "us-east-1";
    const clusterName: string = ctx.inputs.name ?? ctx.name;
    const oidcId = fakeHex(clusterName, 32).toUpperCase();
    const issuer = `https://oidc.eks.${region}.amazonaws.com/id/${oidcId}`;
    const endpoint = `https://${fakeHex(clusterName + "ep", 32).toUpperCase()}.gr7.${region}.eks.amazonaws.com`;
    const caData = Buffer.from(`mock-ca-for-${clusterName}`).toString("base64");
    const kubeconfig = {
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "kubernetes", cluster: { server: endpoint, "certificate-authority-data": caData } }],
        contexts: [{ name: "aws", context: { cluster: "kubernetes", user: "aws" } }],
        "current-context": "aws",
        users: [{
            name: "aws",
            user: {
                exec: {
                    apiVersion: "client.authentication.k8s.io/v1beta1",
                    command: "aws",
                    args: ["eks", "get-token", "--cluster-name", clusterName, "--region", region, "--output", "json"],
                },
            },
        }],
    };
    const clusterSg = `sg-${fakeHex(clusterName + "csg")}`;
    const eksCluster = {
        name: clusterName,
        arn: `arn:aws:eks:${region}:${MOCK_ACCOUNT_ID}:cluster/${clusterName}`,
        endpoint,
        version: ctx.inputs.version,
        certificateAuthority: { data: caData },
        identities: [{ oidcs: [{ issuer }] }],
        vpcConfig: { clusterSecurityGroupId: `sg-${fakeHex(clusterName + "eks")}`, vpcId: ctx.inputs.vpcId },
    };
    return {
        ...ctx.inputs,
        kubeconfig,
        kubeconfigJson: JSON.stringify(kubeconfig),
        eksCluster,
        core: { cluster: eksCluster, endpoint, vpcId: ctx.inputs.vpcId, subnetIds: ctx.inputs.privateSubnetIds ?? [] },
        clusterSecurityGroupId: clusterSg,
        nodeSecurityGroupId: `sg-${fakeHex(clusterName + "nsg")}`,
        oidcIssuer: issuer.replace(/^https:\/\//, ""),
        oidcProviderUrl: issuer,
        oidcProviderArn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:oidc-provider/${issuer.replace(/^https:\/\//, "")}`,
        instanceRoles: [],
    };
}

/**
 * An Ingress gets its ALB's DNS name in status once the controller reconciles it. The region is read
 * from the object's name (`<env>-<region>-...`), as Kubernetes providers carry no region.
 */
function ingressStatus(ctx: OutputContext): Record<string, any> {
    const region = ctx.region ?? /-([a-z]{2}(?:-gov)?-[a-z]+-\d)-/.exec(ctx.name)?.[1] ?? "us-east-1";
    const group = ctx.inputs.spec?.ingressClassName === "alb-internal" ? "internal" : "public";
    const internal = group === "internal" ? "internal-" : "";
    return {
        loadBalancer: {
            ingress: [{ hostname: `${internal}k8s-${group}-${fakeHex(ctx.name, 10)}-${parseInt(fakeHex(ctx.name + "n", 8), 16)}.${region}.elb.amazonaws.com` }],
        },
    };
}

/**
 * An ACM certificate as DescribeCertificate shows it once requested with DNS validation: one
 * validation option per name (domain name first, then the SANs in order), each with ACM's CNAME. The
 * CNAME depends on the domain and the account only, never on the region or the certificate ("created
 * specifically for your domain and your account", "works for any region"), and a wildcard gets its
 * base's (ACM user guide, dns-validation.md), so two regions' certificates list identical records.
 */
function acmCertificateOutputs(ctx: OutputContext): Record<string, any> {
    const region = ctx.region ?? "us-east-1";
    const names: string[] = [ctx.inputs.domainName, ...(ctx.inputs.subjectAlternativeNames ?? [])];
    const domainValidationOptions = names.map((domainName) => {
        const base = domainName.replace(/^\*\./, "");
        const token = fakeHex(`${MOCK_ACCOUNT_ID}/${base}`, 32);
        return {
            domainName,
            resourceRecordName: `_${token}.${base}.`,
            resourceRecordType: "CNAME",
            resourceRecordValue: `_${fakeHex(`${token}/value`, 32)}.${fakeHex(token, 10)}.acm-validations.aws.`,
        };
    });
    return {
        ...ctx.inputs,
        arn: `arn:aws:acm:${region}:${MOCK_ACCOUNT_ID}:certificate/${fakeHex(ctx.name, 8)}-${fakeHex(ctx.name + "a", 4)}-4${fakeHex(ctx.name + "b", 3)}-8${fakeHex(ctx.name + "c", 3)}-${fakeHex(ctx.name + "d", 12)}`,
        domainValidationOptions,
        status: "PENDING_VALIDATION",
        type: "AMAZON_ISSUED",
        keyAlgorithm: ctx.inputs.keyAlgorithm ?? "RSA_2048",
    };
}

/**
 * A Gateway as the load balancer controller leaves it once its ALB is active: Programmed, and the ALB's
 * DNS name (lower case) as its one address (controllers/gateway/gateway_controller.go v3.5.0).
 */
function gatewayStatus(ctx: OutputContext): Record<string, any> {
    const region = ctx.region ?? /-([a-z]{2}(?:-gov)?-[a-z]+-\d)-/.exec(ctx.name)?.[1] ?? "us-east-1";
    const internal = ctx.inputs.metadata?.name === "alb-internal" ? "internal-" : "";
    const ns = ctx.inputs.metadata?.namespace ?? "default";
    return {
        addresses: [{ type: "Hostname", value: `${internal}k8s-${ns}-${ctx.inputs.metadata?.name}-${fakeHex(ctx.name, 10)}.${region}.elb.amazonaws.com`.slice(0, 200) }],
        conditions: [{ type: "Accepted", status: "True", reason: "Accepted" }, { type: "Programmed", status: "True", reason: "Programmed" }],
    };
}

/** Outputs for one resource: inputs echoed, plus id/arn/name where the real resource computes them. */
export function mockOutputs(ctx: OutputContext): { id: string; state: Record<string, any> } {
    if (ctx.type === "eks:index:Cluster") {
        return { id: `${ctx.name}-id`, state: eksClusterOutputs(ctx) };
    }
    if (ctx.type === "aws:s3/bucket:Bucket") {
        // Auto-named as the provider does: the logical name, "-" and 7 random characters; the id is the name.
        const bucket = ctx.inputs.bucket ?? `${ctx.name}-${fakeHex(ctx.name, 7)}`;
        return { id: bucket, state: { ...ctx.inputs, bucket, arn: `arn:aws:s3:::${bucket}` } };
    }
    if (ctx.type === "aws:acm/certificate:Certificate") {
        const state = acmCertificateOutputs(ctx);
        return { id: state.arn, state };
    }
    // Route 53 record ids are <zone>_<name>_<type>[_<set identifier>]; fqdn is the name without the final dot.
    if (ctx.type === "aws:route53/record:Record") {
        const fqdn = String(ctx.inputs.name).replace(/\.$/, "");
        return { id: [ctx.inputs.zoneId, fqdn, ctx.inputs.type, ...(ctx.inputs.setIdentifier ? [ctx.inputs.setIdentifier] : [])].join("_"), state: { ...ctx.inputs, fqdn } };
    }
    if (ctx.type === "aws:route53/healthCheck:HealthCheck") {
        const id = `${fakeHex(ctx.name, 8)}-${fakeHex(ctx.name + "a", 4)}-4${fakeHex(ctx.name + "b", 3)}-8${fakeHex(ctx.name + "c", 3)}-${fakeHex(ctx.name + "d", 12)}`;
        return { id, state: { ...ctx.inputs, arn: `arn:aws:route53:::healthcheck/${id}` } };
    }
    const prefix = ID_PREFIX[ctx.type];
    const id = prefix ? `${prefix}${fakeHex(ctx.name)}` : `${ctx.name}-id`;
    const state: Record<string, any> = { ...ctx.inputs };
    const arn = arnFor(ctx);
    if (arn) state.arn = arn;
    if (ctx.type === "aws:kms/key:Key") state.keyId = arn!.split("/").pop();
    // Auto-named resources: the mock's name is the logical name (the engine would add a suffix).
    if (AUTONAMED.has(ctx.type) && state.name === undefined) state.name = ctx.name;
    if (ctx.type === "aws:sqs/queue:Queue") state.url = `https://sqs.${ctx.region ?? "us-east-1"}.amazonaws.com/${MOCK_ACCOUNT_ID}/${state.name}`;
    if (ctx.type === "aws:eks/nodeGroup:NodeGroup") state.status = "ACTIVE";
    if (ctx.type === "aws:ec2/launchTemplate:LaunchTemplate") state.latestVersion = 1;
    if (ctx.type === "kubernetes:networking.k8s.io/v1:Ingress") state.status = ingressStatus(ctx);
    // Kubernetes objects without a name are auto-named by the provider: logical name plus a suffix.
    if (ctx.type.startsWith("kubernetes:") && ctx.inputs.metadata && ctx.inputs.metadata.name === undefined) {
        state.metadata = { ...ctx.inputs.metadata, name: `${ctx.name}-${fakeHex(ctx.name, 8)}` };
    }
    // An object annotated `pulumi.com/waitFor: condition=Ready` is returned once its controller set Ready.
    if (ctx.inputs.metadata?.annotations?.["pulumi.com/waitFor"] === "condition=Ready") {
        state.status = { conditions: [{ type: "Ready", status: "True", reason: "Ready" }] };
    }
    if (ctx.type === "kubernetes:gateway.networking.k8s.io/v1:Gateway") state.status = gatewayStatus(ctx);
    if (ctx.type === "kubernetes:helm.sh/v3:Release") state.status = { name: ctx.inputs.name ?? ctx.name, namespace: ctx.inputs.namespace, status: "deployed", version: ctx.inputs.version };
    return { id, state };
}
