/**
 * Addons: the managed add-ons that need nodes to run on (CoreDNS, the EBS CSI driver,
 * metrics-server, the node monitoring agent). The region registers it after the node groups, with `dependsOn` on them.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { addonVersionOf, registerAddon } from "./addon";
import { addonsFor } from "./addons-plan";

export interface AddonsArgs {
    /** The region's provider; every child uses it. */
    readonly provider: aws.Provider;
    readonly clusterName: pulumi.Input<string>;
    /** The cluster's ARN, which the add-ons' Pod Identity roles trust. */
    readonly clusterArn: pulumi.Input<string>;
    /** The cluster's Kubernetes minor version; each add-on's version is resolved for it. */
    readonly kubernetesVersion: string;
    /** Each add-on's version (PlatformConfig's cluster.addonVersions). @default the pinned table's row for kubernetesVersion */
    readonly addonVersions?: Readonly<Record<string, string>>;
    /** The region's Kubernetes provider, for the default StorageClass. */
    readonly kubernetesProvider: k8s.Provider;
}

/**
 * The default StorageClass: encrypted gp3 through the EBS CSI driver, bound where the pod lands so
 * the volume is in the pod's zone. (The cluster is created without the in-tree gp2 class.)
 */
export const DEFAULT_STORAGE_CLASS = {
    metadata: { name: "gp3", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
    provisioner: "ebs.csi.aws.com",
    parameters: { type: "gp3", encrypted: "true" },
    volumeBindingMode: "WaitForFirstConsumer",
    allowVolumeExpansion: true,
    reclaimPolicy: "Delete",
};

export class Addons extends pulumi.ComponentResource {
    public readonly addonNames: pulumi.Output<string[]>;
    /**
     * CoreDNS: the one add-on applications wait for (their pods resolve names at start). The others
     * (EBS CSI and the gp3 class, metrics-server, the node monitoring agent) serve no object the apps
     * create: apps mount only emptyDir volumes, and an HPA is accepted before metrics-server runs.
     */
    public readonly dns: aws.eks.Addon;

    constructor(name: string, args: AddonsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:index:Addons", name, {}, opts);
        const o = { parent: this, provider: args.provider };
        const specs = addonsFor("after-nodes");
        const addons = specs.map((spec) => registerAddon(name, spec, args.clusterName, args.clusterArn,
            addonVersionOf(spec.name, args.kubernetesVersion, args.addonVersions), o));
        const csiDriver = addons[specs.findIndex((s) => s.name === "aws-ebs-csi-driver")];
        this.dns = addons[specs.findIndex((s) => s.name === "coredns")];
        new k8s.storage.v1.StorageClass(`${name}-gp3`, DEFAULT_STORAGE_CLASS, {
            parent: this,
            provider: args.kubernetesProvider,
            dependsOn: [csiDriver],
        });
        this.addonNames = pulumi.all(addons.map((a) => a.addonName));
        this.registerOutputs({ addonNames: this.addonNames });
    }
}
