/**
 * Addons: the managed add-ons that need nodes to run on (CoreDNS, the EBS CSI driver,
 * metrics-server, the node monitoring agent). The region registers it after the node groups, with `dependsOn` on them.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { addonVersionOf, registerAddon } from "./addon";
import { addonsFor, clusterAddonRegistration } from "./addons-plan";

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
    /** Add-ons the compute mode runs itself (components/compute/mode.ts): never registered. @default [] */
    readonly owned?: readonly string[];
    /** The default StorageClass's provisioner. @default "ebs.csi.aws.com" (the EBS CSI driver add-on) */
    readonly storageProvisioner?: string;
}

/**
 * The default StorageClass: encrypted gp3 through the EBS CSI driver, bound where the pod lands so
 * the volume is in the pod's zone. (The cluster is created without the in-tree gp2 class.)
 */
export function defaultStorageClass(provisioner: string) {
    return { ...DEFAULT_STORAGE_CLASS, provisioner };
}

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
     * Undefined when the compute mode runs cluster DNS itself (EKS Auto Mode).
     */
    public readonly dns?: aws.eks.Addon;

    constructor(name: string, args: AddonsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:index:Addons", name, {}, opts);
        const o = { parent: this, provider: args.provider };
        const owned = new Set(args.owned ?? []);
        const specs = addonsFor("after-nodes").filter((a) => !owned.has(a.name));
        const addons = specs.map((spec) => registerAddon(
            clusterAddonRegistration(name, spec, addonVersionOf(spec.name, args.kubernetesVersion, args.addonVersions)),
            args.clusterName, args.clusterArn, o));
        const byName = (n: string) => addons[specs.findIndex((s) => s.name === n)] as aws.eks.Addon | undefined;
        const csiDriver = byName("aws-ebs-csi-driver");
        this.dns = byName("coredns");
        new k8s.storage.v1.StorageClass(`${name}-gp3`, defaultStorageClass(args.storageProvisioner ?? DEFAULT_STORAGE_CLASS.provisioner), {
            parent: this,
            provider: args.kubernetesProvider,
            dependsOn: csiDriver ? [csiDriver] : [],
        });
        this.addonNames = pulumi.all(addons.map((a) => a.addonName));
        this.registerOutputs({ addonNames: this.addonNames });
    }
}
