/**
 * The platform's guarantees as pure rules over (resource type token, input properties), the shape a
 * Pulumi policy sees in `ResourceValidationArgs` (`type`, `props`: the resource's inputs with their
 * SDK names, camelCase). `policies.ts` wraps each rule into a mandatory policy; tests call them
 * directly (tests/policy/). No Pulumi imports here, so the rules load anywhere.
 *
 * Each rule returns one message per problem, naming the offending field; an empty list means the
 * resource complies. A rule only looks at the fields it needs: during a preview, fields the engine
 * does not know yet throw when read (the policy SDK reports that instead of a violation).
 */

import { ROOT_DEVICE_NAME } from "../components/compute/managed-node-group-settings";
import { PRODUCTION_LABEL } from "../components/ingress-settings";
import { SUBNET_ROLE_TAGS } from "../components/network-plan";
import { SSL_POLICIES, parseImage } from "../stacks/apps-schema";

export type Props = Record<string, any>;

export interface Rule {
    /** Policy name (unique in the pack; lower-case and dashes). */
    readonly name: string;
    /** What the policy checks and why, shown by the Pulumi CLI. */
    readonly description: string;
    /** The one resource type token the rule applies to. */
    readonly resourceType: string;
    /** Violation messages for a resource of `resourceType` (empty when it complies). */
    readonly check: (props: Props) => string[];
}

/** Control-plane log types an EKS cluster must send to CloudWatch Logs (all five there are). */
export const EKS_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/** True for `true` and `"true"` (some AWS inputs, e.g. launch template EBS `encrypted`, are strings). */
function isTrue(v: unknown): boolean {
    return v === true || v === "true";
}

function asArray(v: unknown): any[] {
    return Array.isArray(v) ? v : [];
}

const kmsKeyRotation: Rule = {
    name: "kms-key-rotation",
    description: "KMS keys rotate their key material (enableKeyRotation: true): the key that envelope-encrypts " +
        "Kubernetes Secrets must not keep the same material forever.",
    resourceType: "aws:kms/key:Key",
    check: (props) => (props.enableKeyRotation === true ? [] : [
        `enableKeyRotation must be true (got ${JSON.stringify(props.enableKeyRotation)})`,
    ]),
};

const eksClusterHardening: Rule = {
    name: "eks-cluster-hardening",
    description: "EKS clusters envelope-encrypt Secrets with KMS (encryptionConfig.resources includes \"secrets\"), " +
        `send all five control-plane log types (enabledClusterLogTypes: ${EKS_LOG_TYPES.join(", ")}), and give a ` +
        "public API endpoint an explicit allow-list (vpcConfig.publicAccessCidrs; AWS reads an empty list as " +
        "0.0.0.0/0). Whether 0.0.0.0/0 itself is allowed depends on the environment, so the stack config's " +
        "validation decides that (production forbids it).",
    resourceType: "aws:eks/cluster:Cluster",
    check: (props) => {
        const out: string[] = [];
        const encrypted = asArray(props.encryptionConfig?.resources);
        if (!encrypted.includes("secrets")) {
            out.push(`encryptionConfig.resources must include "secrets" (got ${JSON.stringify(props.encryptionConfig?.resources)})`);
        }
        const logTypes = asArray(props.enabledClusterLogTypes);
        const missing = EKS_LOG_TYPES.filter((t) => !logTypes.includes(t));
        if (missing.length > 0) {
            out.push(`enabledClusterLogTypes is missing ${missing.join(", ")} (all of ${EKS_LOG_TYPES.join(", ")} are required)`);
        }
        const vpc = props.vpcConfig ?? {};
        // AWS: the public endpoint is on unless endpointPublicAccess is false.
        if (vpc.endpointPublicAccess !== false) {
            const cidrs = asArray(vpc.publicAccessCidrs);
            if (cidrs.length === 0) {
                out.push("vpcConfig.publicAccessCidrs is empty with a public endpoint (vpcConfig.endpointPublicAccess): AWS then allows 0.0.0.0/0");
            }
        }
        return out;
    },
};

const launchTemplateHardening: Rule = {
    name: "launch-template-imdsv2-encrypted-ebs",
    description: "Node launch templates require IMDSv2 (metadataOptions.httpTokens \"required\") with a hop limit of 1 " +
        "(metadataOptions.httpPutResponseHopLimit), so pods cannot take the node role's credentials, and give every " +
        `EBS volume encryption (blockDeviceMappings[].ebs.encrypted), the root volume (${ROOT_DEVICE_NAME}) included, which ` +
        "must be declared (on Bottlerocket the declared data volume is /dev/xvdb, and the root would keep the AMI's mapping).",
    resourceType: "aws:ec2/launchTemplate:LaunchTemplate",
    check: (props) => {
        const out: string[] = [];
        const md = props.metadataOptions ?? {};
        if (md.httpTokens !== "required") {
            out.push(`metadataOptions.httpTokens must be "required" (IMDSv2; got ${JSON.stringify(md.httpTokens)})`);
        }
        if (md.httpPutResponseHopLimit !== 1) {
            out.push(`metadataOptions.httpPutResponseHopLimit must be 1 (got ${JSON.stringify(md.httpPutResponseHopLimit)})`);
        }
        const ebs = asArray(props.blockDeviceMappings).filter((m) => m?.ebs !== undefined);
        if (!ebs.some((m) => m.deviceName === ROOT_DEVICE_NAME)) {
            out.push(`blockDeviceMappings declares no root volume (${ROOT_DEVICE_NAME}, the root device of the EKS AL2023 and ` +
                "Bottlerocket AMIs): an undeclared root volume keeps the AMI's mapping, unencrypted unless the account " +
                "encrypts EBS by default; declare it with ebs.encrypted");
        }
        ebs.forEach((m, i) => {
            if (!isTrue(m.ebs.encrypted)) {
                out.push(`blockDeviceMappings[${i}].ebs.encrypted must be true (device ${m.deviceName ?? "?"}; got ${JSON.stringify(m.ebs.encrypted)})`);
            }
        });
        return out;
    },
};

const nodeGroupNoRemoteAccess: Rule = {
    name: "node-group-no-remote-access",
    description: "Managed node groups have no remoteAccess (no SSH key, no SSH security group): nodes are reached " +
        "through SSM Session Manager only.",
    resourceType: "aws:eks/nodeGroup:NodeGroup",
    check: (props) => (props.remoteAccess === undefined || props.remoteAccess === null ? [] : [
        "remoteAccess must not be set (SSH access to nodes); use SSM Session Manager",
    ]),
};

const subnetNoPublicIps: Rule = {
    name: "subnet-no-public-ip-on-launch",
    description: "Subnets do not give instances public IPv4 addresses (mapPublicIpOnLaunch not true): nodes live in " +
        "private subnets and load balancers get their own addresses.",
    resourceType: "aws:ec2/subnet:Subnet",
    check: (props) => (props.mapPublicIpOnLaunch === true ? ["mapPublicIpOnLaunch must not be true"] : []),
};

/** Image reference pinned by digest, or by a tag other than `latest` (parsed as the app config does). */
export function imageProblem(image: unknown): string | undefined {
    if (typeof image !== "string" || image === "") return "has no image";
    const { tag, digest } = parseImage(image);
    if (digest) return undefined;
    if (!tag) return `image ${image} has no tag or digest`;
    if (tag === "latest") return `image ${image} uses the tag "latest"`;
    return undefined;
}

const deploymentRestricted: Rule = {
    name: "deployment-restricted-containers",
    description: "Deployments run every container (and init container) as non-root (securityContext.runAsNonRoot, " +
        "on the container or the pod), without privilege escalation (allowPrivilegeEscalation: false), with all " +
        "capabilities dropped (capabilities.drop [\"ALL\"]) and a read-only root filesystem " +
        "(readOnlyRootFilesystem: true), from an image pinned by tag or digest that is not \"latest\".",
    resourceType: "kubernetes:apps/v1:Deployment",
    check: (props) => {
        const out: string[] = [];
        const pod = props.spec?.template?.spec ?? {};
        const podNonRoot = pod.securityContext?.runAsNonRoot === true;
        const groups: Array<[string, any[]]> = [["containers", asArray(pod.containers)], ["initContainers", asArray(pod.initContainers)]];
        if (asArray(pod.containers).length === 0) out.push("spec.template.spec.containers is empty");
        for (const [field, containers] of groups) {
            containers.forEach((c, i) => {
                const at = `spec.template.spec.${field}[${i}] (${c?.name ?? "?"})`;
                const sc = c?.securityContext ?? {};
                const nonRoot = sc.runAsNonRoot === true || (sc.runAsNonRoot === undefined && podNonRoot);
                if (!nonRoot) out.push(`${at}: securityContext.runAsNonRoot must be true (on the container or spec.template.spec.securityContext)`);
                if (sc.allowPrivilegeEscalation !== false) out.push(`${at}: securityContext.allowPrivilegeEscalation must be false`);
                if (!asArray(sc.capabilities?.drop).includes("ALL")) out.push(`${at}: securityContext.capabilities.drop must include "ALL"`);
                if (sc.readOnlyRootFilesystem !== true) out.push(`${at}: securityContext.readOnlyRootFilesystem must be true`);
                const problem = imageProblem(c?.image);
                if (problem) out.push(`${at}: image must be pinned by a tag other than "latest" or a digest (${problem})`);
            });
        }
        return out;
    },
};

/** The private tier's subnet tag: the one tag only private subnets carry (components/network-plan.ts). */
const [PRIVATE_TAG_KEY, PRIVATE_TAG_VALUE] = Object.entries(SUBNET_ROLE_TAGS.private)[0];

const ec2NodeClassHardening: Rule = {
    name: "karpenter-node-class-hardening",
    description: "Karpenter EC2NodeClasses harden their nodes like the launch templates: IMDSv2 " +
        "(spec.metadataOptions.httpTokens \"required\") with a hop limit of 1, an encrypted root volume " +
        "(spec.blockDeviceMappings[] with rootVolume and ebs.encrypted) and every EBS volume encrypted, no public IP " +
        "(spec.associatePublicIPAddress false), subnets chosen only by tags that include the private tier's " +
        `(${PRIVATE_TAG_KEY}=${PRIVATE_TAG_VALUE}), and an AMI alias pinned to a release, not @latest.`,
    resourceType: "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass",
    check: (props) => {
        const out: string[] = [];
        const spec = props.spec ?? {};
        const md = spec.metadataOptions ?? {};
        if (md.httpTokens !== "required") out.push(`spec.metadataOptions.httpTokens must be "required" (IMDSv2; got ${JSON.stringify(md.httpTokens)})`);
        if (md.httpPutResponseHopLimit !== 1) out.push(`spec.metadataOptions.httpPutResponseHopLimit must be 1 (got ${JSON.stringify(md.httpPutResponseHopLimit)})`);
        const bdm = asArray(spec.blockDeviceMappings);
        if (!bdm.some((m) => m?.rootVolume === true && isTrue(m?.ebs?.encrypted))) {
            out.push("spec.blockDeviceMappings must declare the root volume (rootVolume: true) with ebs.encrypted true");
        }
        bdm.forEach((m, i) => {
            if (m?.ebs !== undefined && !isTrue(m.ebs.encrypted)) out.push(`spec.blockDeviceMappings[${i}].ebs.encrypted must be true (got ${JSON.stringify(m.ebs.encrypted)})`);
        });
        if (spec.associatePublicIPAddress !== false) out.push(`spec.associatePublicIPAddress must be false (got ${JSON.stringify(spec.associatePublicIPAddress)})`);
        const terms = asArray(spec.subnetSelectorTerms);
        if (terms.length === 0) out.push("spec.subnetSelectorTerms is empty");
        terms.forEach((t, i) => {
            if (t?.tags?.[PRIVATE_TAG_KEY] !== PRIVATE_TAG_VALUE) {
                out.push(`spec.subnetSelectorTerms[${i}] must select by tags including ${PRIVATE_TAG_KEY}=${PRIVATE_TAG_VALUE} (private subnets only; got ${JSON.stringify(t)})`);
            }
        });
        asArray(spec.amiSelectorTerms).forEach((t, i) => {
            if (typeof t?.alias === "string" && !/@v\d/.test(t.alias)) out.push(`spec.amiSelectorTerms[${i}].alias must be pinned to a release such as al2023@v20260714 (got ${JSON.stringify(t.alias)})`);
        });
        return out;
    },
};

/**
 * EKS Auto Mode's NodeClass (eks.amazonaws.com/v1), hardened as components/compute/auto/settings.ts builds it.
 * Auto Mode's nodes come with IMDSv2 and a read-only root already (EKS Auto Mode security overview); what a
 * NodeClass can weaken is checked: https://docs.aws.amazon.com/eks/latest/userguide/create-node-class.html
 */
const autoNodeClassHardening: Rule = {
    name: "auto-mode-node-class-hardening",
    description: "EKS Auto Mode NodeClasses name a node role (spec.role), are not called \"default\" (the built-in " +
        "class's name), place nodes only in subnets chosen by ID or by tags that include the private tier's " +
        `(${PRIVATE_TAG_KEY}=${PRIVATE_TAG_VALUE}), encrypt ephemeral storage with a customer KMS key ` +
        "(spec.ephemeralStorage.kmsKeyID), and assign no public IP (spec.advancedNetworking.associatePublicIPAddress false).",
    resourceType: "kubernetes:eks.amazonaws.com/v1:NodeClass",
    check: (props) => {
        const out: string[] = [];
        const spec = props.spec ?? {};
        if (props.metadata?.name === "default") out.push("metadata.name must not be \"default\" (the built-in NodeClass's name; AWS: do not name a custom node class default)");
        if (typeof spec.role !== "string" || spec.role === "") out.push(`spec.role must name the node IAM role (got ${JSON.stringify(spec.role)})`);
        const terms = asArray(spec.subnetSelectorTerms);
        if (terms.length === 0) out.push("spec.subnetSelectorTerms is empty");
        terms.forEach((t, i) => {
            if (typeof t?.id !== "string" && t?.tags?.[PRIVATE_TAG_KEY] !== PRIVATE_TAG_VALUE) {
                out.push(`spec.subnetSelectorTerms[${i}] must select a private subnet by id, or by tags including ${PRIVATE_TAG_KEY}=${PRIVATE_TAG_VALUE} (got ${JSON.stringify(t)})`);
            }
        });
        if (!spec.ephemeralStorage?.kmsKeyID) out.push("spec.ephemeralStorage.kmsKeyID must name the platform's KMS key (encrypted node storage)");
        if (spec.advancedNetworking?.associatePublicIPAddress !== false) {
            out.push(`spec.advancedNetworking.associatePublicIPAddress must be false (got ${JSON.stringify(spec.advancedNetworking?.associatePublicIPAddress)})`);
        }
        return out;
    },
};

/** The value of an ALB attribute in `spec.loadBalancerAttributes`, or undefined. */
function albAttribute(spec: Props, key: string): unknown {
    return asArray(spec.loadBalancerAttributes).find((a) => a?.key === key)?.value;
}

const productionAlbs: Rule = {
    name: "production-alb-logs-and-deletion-protection",
    description: "Every ALB class of a production environment (IngressClassParams labelled " +
        `${PRODUCTION_LABEL}=true), internal as well as internet-facing, has access logs on to a bucket ` +
        "(access_logs.s3.enabled \"true\" with access_logs.s3.bucket) and deletion protection on " +
        "(deletion_protection.enabled \"true\"). To decommission, turn deletion protection off with a plain " +
        "`pulumi up` outside the rollout (README, \"Destroying\").",
    resourceType: "kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams",
    check: (props) => {
        if (props.metadata?.labels?.[PRODUCTION_LABEL] !== "true") return [];
        const spec = props.spec ?? {};
        const out: string[] = [];
        const at = `${props.kind ?? "IngressClassParams"} ${props.metadata?.name ?? "?"} (scheme ${JSON.stringify(spec.scheme)})`;
        if (albAttribute(spec, "access_logs.s3.enabled") !== "true" || !albAttribute(spec, "access_logs.s3.bucket")) {
            out.push(`${at}: spec.loadBalancerAttributes must turn access logs on (access_logs.s3.enabled "true" and access_logs.s3.bucket) in production`);
        }
        if (albAttribute(spec, "deletion_protection.enabled") !== "true") {
            out.push(`${at}: spec.loadBalancerAttributes must set deletion_protection.enabled "true" in production (got ${JSON.stringify(albAttribute(spec, "deletion_protection.enabled"))})`);
        }
        return out;
    },
};

/** The same rule for EKS Auto Mode's IngressClassParams (eks.amazonaws.com/v1; same attribute list). */
const productionAutoModeAlbs: Rule = {
    ...productionAlbs,
    name: "production-alb-logs-and-deletion-protection-auto-mode",
    resourceType: "kubernetes:eks.amazonaws.com/v1:IngressClassParams",
};

/**
 * The same rule for the Gateway API's ALBs: a production LoadBalancerConfiguration (gateway.k8s.aws/v1 of the
 * load balancer controller v3.5.0; components/gateway-api/settings.ts labels production's) takes the same
 * attribute list (`spec.loadBalancerAttributes`, key/value).
 */
const productionGatewayAlbs: Rule = {
    ...productionAlbs,
    name: "production-gateway-alb-logs-and-deletion-protection",
    description: "Every Gateway ALB of a production environment (LoadBalancerConfiguration labelled " +
        `${PRODUCTION_LABEL}=true), internal as well as internet-facing, has access logs and deletion protection on, as the Ingress classes do.`,
    resourceType: "kubernetes:gateway.k8s.aws/v1:LoadBalancerConfiguration",
};

/**
 * A Gateway's HTTPS listener gets its certificate and TLS policy from the LoadBalancerConfiguration
 * (`listenerConfigurations[]` keyed by protocolPort; the controller ignores a listener's tls.certificateRefs,
 * docs/guide/gateway/gateway.md v3.5.0): every HTTPS entry names a default certificate and one of the TLS 1.3
 * policies the platform allows (stacks/apps-schema.ts SSL_POLICIES), as the Ingress classes do.
 */
const gatewayTlsPolicy: Rule = {
    name: "gateway-https-listener-tls",
    description: `Every HTTPS listener of a Gateway ALB (LoadBalancerConfiguration listenerConfigurations) has a default certificate and a TLS 1.3 policy: ${SSL_POLICIES.join(", ")}.`,
    resourceType: "kubernetes:gateway.k8s.aws/v1:LoadBalancerConfiguration",
    check: (props) => {
        const out: string[] = [];
        asArray(props.spec?.listenerConfigurations).forEach((l, i) => {
            if (!String(l?.protocolPort ?? "").startsWith("HTTPS:")) return;
            const at = `LoadBalancerConfiguration ${props.metadata?.name ?? "?"}: spec.listenerConfigurations[${i}] (${l.protocolPort})`;
            if (!(SSL_POLICIES as readonly string[]).includes(l.sslPolicy)) out.push(`${at}: sslPolicy must be one of ${SSL_POLICIES.join(", ")} (got ${JSON.stringify(l.sslPolicy)})`);
            if (!l.defaultCertificate) out.push(`${at}: needs a defaultCertificate (an ACM certificate ARN)`);
        });
        return out;
    },
};

/** Every rule of the pack, in the order the policies list them. */
export const RULES: readonly Rule[] = [
    kmsKeyRotation,
    eksClusterHardening,
    launchTemplateHardening,
    nodeGroupNoRemoteAccess,
    subnetNoPublicIps,
    ec2NodeClassHardening,
    autoNodeClassHardening,
    productionAlbs,
    productionAutoModeAlbs,
    productionGatewayAlbs,
    gatewayTlsPolicy,
    deploymentRestricted,
];

export interface Finding {
    readonly rule: string;
    readonly message: string;
}

/** Every violation of every rule for one resource (rules for other types are skipped). */
export function checkResource(type: string, props: Props): Finding[] {
    return RULES.filter((r) => r.resourceType === type).flatMap((r) => r.check(props).map((message) => ({ rule: r.name, message })));
}
