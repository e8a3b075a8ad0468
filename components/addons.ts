/**
 * Addons: the managed add-ons that need nodes to run on (CoreDNS, the EBS CSI driver,
 * metrics-server). The region registers it after the node groups, with `dependsOn` on them.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { registerAddon } from "./addon";
import { addonsFor } from "./addons-plan";

export interface AddonsArgs {
    /** The region's provider; every child uses it. */
    readonly provider: aws.Provider;
    readonly clusterName: pulumi.Input<string>;
}

export class Addons extends pulumi.ComponentResource {
    public readonly addonNames: pulumi.Output<string[]>;

    constructor(name: string, args: AddonsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:index:Addons", name, {}, opts);
        const o = { parent: this, provider: args.provider };
        const addons = addonsFor("after-nodes").map((spec) => registerAddon(name, spec, args.clusterName, o));
        this.addonNames = pulumi.all(addons.map((a) => a.addonName));
        this.registerOutputs({ addonNames: this.addonNames });
    }
}
