import { albZoneId } from "../../facts/alb-zone-ids";
import { fakeHex } from "./outputs";
import { MOCK_ACCOUNT_ID } from "./outputs";
import { ZONES_AS_OF, zonesOf } from "../../facts/zones";

/** Answers for the provider functions (invokes) this program calls. Any other token throws. */
export type InvokeHandler = (inputs: Record<string, any>, region: string | undefined) => Record<string, any>;

export const INVOKES: Record<string, InvokeHandler> = {
    "aws:index/getAvailabilityZones:getAvailabilityZones": (_inputs, region) => {
        const r = region ?? "us-east-1";
        const names = zonesOf(r);
        if (!names) throw new Error(`mock harness: no zone list for region ${r} (as of ${ZONES_AS_OF}); add it to facts/data/zones.json`);
        // AZ IDs are placeholders in the AWS format (<region abbreviation>-az<n>); real ones map per account.
        const word = (w: string) => (/^(north|south)(east|west)$/.test(w) ? `${w[0]}${w[5]}` : w[0]);
        const abbreviation = `${r.split("-").slice(0, -1).map((p, i) => (i === 0 ? p : word(p))).join("")}${r.slice(-1)}`;
        return { id: r, names, zoneIds: names.map((_, i) => `${abbreviation}-az${i + 1}`), groupNames: [r] };
    },
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({
        accountId: MOCK_ACCOUNT_ID,
        arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/mock`,
        userId: "AIDAMOCK",
        id: MOCK_ACCOUNT_ID,
    }),
    // GetResources (Resource Groups Tagging API), for the ALB the load balancer controller tagged with an
    // ingress group (components/observability.ts). MOCK: answers as if the controller had already created
    // it (a region's steady state); on a region's first real update AWS answers with nothing.
    "aws:resourcegroupstaggingapi/getResources:getResources": (inputs, region) => {
        const r = region ?? "us-east-1";
        const tag = (k: string) => (inputs.tagFilters ?? []).find((f: any) => f.key === k)?.values?.[0];
        const cluster = tag("elbv2.k8s.aws/cluster");
        const group = tag("ingress.k8s.aws/stack");
        const lbs = cluster && group && (inputs.resourceTypeFilters ?? []).includes("elasticloadbalancing:loadbalancer")
            ? [{ resourceArn: `arn:aws:elasticloadbalancing:${r}:${MOCK_ACCOUNT_ID}:loadbalancer/app/k8s-${group.slice(0, 20)}/0123456789abcdef`,
                complianceDetails: [], tags: { "elbv2.k8s.aws/cluster": cluster, "ingress.k8s.aws/stack": group } }]
            : [];
        return { id: r, region: r, resourceTagMappingLists: lbs, ...inputs };
    },
    // The provider's static table (terraform-provider-aws elbv2 hosted_zone_id_data_source.go); an unknown
    // region fails as it does ("unsupported AWS Region").
    "aws:lb/getHostedZoneId:getHostedZoneId": (inputs, region) => {
        const r = String(inputs.region ?? region ?? "us-east-1");
        const type = inputs.loadBalancerType ?? "application";
        const id = type === "application" ? albZoneId(r) : undefined;
        if (!id) throw new Error(`mock harness: unsupported AWS Region: ${r} (${type}); add it to facts/alb-zone-ids.json`);
        return { id, loadBalancerType: type, region: r };
    },
    // A public zone of that name exists in the account (ListHostedZonesByName); its id is stable per name.
    "aws:route53/getZone:getZone": (inputs) => {
        const name = String(inputs.name ?? "").replace(/\.$/, "");
        if (!name) throw new Error("mock harness: getZone by id is not modelled; the platform looks zones up by name");
        const zoneId = `Z${fakeHex(`zone/${name}`, 20).toUpperCase()}`;
        return {
            id: zoneId, zoneId, name, arn: `arn:aws:route53:::hostedzone/${zoneId}`, privateZone: false, comment: "",
            callerReference: fakeHex(name, 12), nameServers: ["ns-1.awsdns-01.org", "ns-2.awsdns-02.co.uk", "ns-3.awsdns-03.com", "ns-4.awsdns-04.net"],
            primaryNameServer: "ns-1.awsdns-01.org", resourceRecordSetCount: 2, linkedServiceDescription: "", linkedServicePrincipal: "", tags: {},
        };
    },
    "aws:index/getPartition:getPartition": () => ({
        partition: "aws",
        dnsSuffix: "amazonaws.com",
        reverseDnsPrefix: "com.amazonaws",
        id: "aws",
    }),
};

export function answerInvoke(token: string, inputs: Record<string, any>, region: string | undefined): Record<string, any> {
    const handler = INVOKES[token];
    if (!handler) {
        throw new Error(`mock harness: no answer for invoke "${token}"; add one to tools/harness/invokes.ts`);
    }
    return handler(inputs, region);
}
