/**
 * What each refreshable table re-reads from AWS. Each reader returns the fresh entries or throws (the
 * run then leaves that table's file as it is and names the table and the cause): an API error, a
 * throttling error left after the SDK's retries, a region that answers nothing, an entry the table
 * cannot parse. Paged calls are read to their last page.
 */
import { DEFAULT_KUBERNETES_VERSION } from "../../../facts/eks-versions";
import type { EksVersionDates } from "../../../facts/eks-versions";
import { EKS_VERSIONS, minorOf } from "../../../facts/eks-versions";
import type { AddonPin } from "../../../facts/addon-versions";
import type { FactTable } from "../../../facts/ledger";
import { isIsoDate } from "../../../stacks/today";
import { toPriceFacts } from "../../plan/cost/prices";
import { refreshTable } from "../../plan/cost/refresh";
import type { AwsReaders, Ec2Reader } from "./clients";
import type { Fresh } from "./merge";

export interface ReadContext {
    readonly aws: AwsReaders;
    readonly today: string;
    /** Another table of the ledger as its file holds it now (after any refresh earlier in the run). */
    readonly readTable: (name: string) => FactTable<any>;
}

export interface TableRefresher {
    readonly table: string;
    read(current: FactTable<any>, ctx: ReadContext): Promise<Array<Fresh<unknown>>>;
    /** Table-level fields to set besides the entries (the price table's regions). */
    extra?(current: FactTable<any>, ctx: ReadContext): Promise<Record<string, unknown>> | Record<string, unknown>;
}

/** An answer the table cannot hold: named so the message says which entry and why. */
export class UnparsableError extends Error {}

const MINOR = /^1\.\d+$/;

function day(value: unknown, what: string): string {
    const d = value instanceof Date ? value : typeof value === "string" ? new Date(value) : undefined;
    const s = d && !Number.isNaN(d.getTime()) ? d.toISOString().slice(0, 10) : undefined;
    if (!s || !isIsoDate(s)) throw new UnparsableError(`${what} is ${JSON.stringify(value)}, not a date`);
    return s;
}

async function allPages<P extends { nextToken?: string }>(call: (nextToken?: string) => Promise<P>): Promise<P[]> {
    const pages: P[] = [];
    let token: string | undefined;
    do {
        const page = await call(token);
        pages.push(page);
        if (page.nextToken !== undefined && page.nextToken === token) throw new Error("the API returned the same nextToken twice (paging loop)");
        token = page.nextToken;
    } while (token);
    return pages;
}

/** eks:DescribeClusterVersions (includeAll, every page): each minor's release and end-of-support days. */
export const eksVersions: TableRefresher = {
    table: "eks-versions",
    async read(_current, { aws }) {
        const eks = aws.eks(aws.homeRegion);
        const pages = await allPages((nextToken) => eks.describeClusterVersions({ includeAll: true, maxResults: 100, nextToken }));
        const rows = pages.flatMap((p) => p.clusterVersions ?? []);
        if (rows.length === 0) throw new Error(`DescribeClusterVersions in ${aws.homeRegion} answered no versions`);
        return rows.map((r): Fresh<EksVersionDates> => {
            const v = r.clusterVersion;
            if (!v || !MINOR.test(v)) throw new UnparsableError(`clusterVersion ${JSON.stringify(v)} is not a Kubernetes minor (1.N)`);
            return {
                key: v,
                value: {
                    released: day(r.releaseDate, `${v} releaseDate`),
                    endOfStandardSupport: day(r.endOfStandardSupportDate, `${v} endOfStandardSupportDate`),
                    endOfExtendedSupport: day(r.endOfExtendedSupportDate, `${v} endOfExtendedSupportDate`),
                },
                source: `eks:DescribeClusterVersions (${aws.homeRegion})`,
            };
        });
    },
};

/**
 * eks:DescribeAddonVersions for the pinned add-on table (facts/addon-versions.ts). Pins move only by a
 * reviewed change, so for a verified row the refresh records AWS's default beside the pin
 * (`awsDefault`, `awsDefaultRead`; dropped when they agree) and keeps `version`, its source and note. An
 * `unverified` row, and a minor of the EKS calendar the table has no row for yet, take AWS's default.
 */
export const addonVersions: TableRefresher = {
    table: "addon-versions",
    async read(current: FactTable<AddonPin>, { aws, today }) {
        const eks = aws.eks(aws.homeRegion);
        const keys = current.entries.map((e) => e.key);
        const addons = [...new Set(keys.map((k) => k.split("@")[0]))];
        const tableMinors = [...new Set(keys.map((k) => k.split("@")[1]))];
        const oldest = Math.min(...tableMinors.map(minorOf));
        const minors = [...new Set([...tableMinors, ...EKS_VERSIONS.map((v) => v.version).filter((m) => minorOf(m) >= oldest)])];
        const out: Array<Fresh<AddonPin>> = [];
        for (const addonName of addons) {
            const pages = await allPages((nextToken) => eks.describeAddonVersions({ addonName, maxResults: 100, nextToken }));
            const versions = pages.flatMap((p) => p.addons ?? []).filter((a) => a.addonName === addonName).flatMap((a) => a.addonVersions ?? []);
            if (versions.length === 0) throw new Error(`DescribeAddonVersions in ${aws.homeRegion} answered no versions of ${addonName}`);
            for (const minor of minors) {
                const key = `${addonName}@${minor}`;
                const defaults = versions.filter((v) => v.compatibilities?.some((c) => c.clusterVersion === minor && c.defaultVersion === true));
                if (defaults.length === 0) continue; // not answered for this minor: the entry is kept and listed
                const version = defaults[0].addonVersion;
                if (!version || !/^v\d+\.\d+\.\d+-eksbuild\.\d+$/.test(version)) throw new UnparsableError(`${key}: addonVersion ${JSON.stringify(version)} is not v<semver>-eksbuild.<n>`);
                const source = `eks:DescribeAddonVersions (${aws.homeRegion}, default for ${minor})`;
                const entry = current.entries.find((e) => e.key === key);
                if (!entry || entry.value.unverified) {
                    out.push({ key, value: { version }, source, note: "AWS's default for the minor on the day read, pinned here" });
                } else {
                    const pin = entry.value.version;
                    out.push({
                        key,
                        value: version === pin ? { version: pin } : { version: pin, awsDefault: version, awsDefaultRead: today },
                        // The pin itself is unchanged: its source and note stay.
                        source: entry.source,
                        ...(entry.note === undefined ? {} : { note: entry.note }),
                    });
                }
            }
        }
        return out;
    },
};

/**
 * ssm:GetParameter of the release AL2023's recommended EKS AMI carries for the platform's default
 * Kubernetes version: `/aws/service/eks/optimized-ami/<k8s>/amazon-linux-2023/x86_64/standard/recommended/release_version`
 * answers `<k8s patch>-<YYYYMMDD>`; the alias pins `v<YYYYMMDD>` (Karpenter builds the per-release
 * parameter `amazon-eks-node-al2023-<arch>-<variant>-<k8s>-v<YYYYMMDD>` from it: pkg/providers/amifamily/al2023.go at v1.14.1).
 */
export const amiReleases: TableRefresher = {
    table: "ami-releases",
    async read(_current, { aws }) {
        const name = `/aws/service/eks/optimized-ami/${DEFAULT_KUBERNETES_VERSION}/amazon-linux-2023/x86_64/standard/recommended/release_version`;
        const answer = await aws.ssm(aws.homeRegion).getParameter({ Name: name });
        const value = answer.Parameter?.Value;
        const m = value === undefined ? null : /^\d+\.\d+\.\d+-(\d{8})$/.exec(value);
        if (!m) throw new UnparsableError(`${name} is ${JSON.stringify(value)}, not <k8s patch>-<YYYYMMDD>`);
        return [{ key: "al2023", value: `v${m[1]}`, source: `ssm:GetParameter ${name} (${aws.homeRegion})`, note: `recommended AL2023 release for Kubernetes ${DEFAULT_KUBERNETES_VERSION}: ${value}` }];
    },
};

/** Regions of another partition need that partition's credentials: kept as they are, listed. */
const OTHER_PARTITION = /^(cn-|us-gov-|us-iso)/;

/**
 * The regions the account may call: ec2:DescribeRegions with AllRegions from the home region lists every
 * region of the partition with its OptInStatus; an opt-in region the account has not enabled
 * (`not-opted-in`) refuses every other EC2 call, so it is not asked (its entry is kept and listed).
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeRegions.html
 */
async function enabledRegions(ec2: Ec2Reader): Promise<ReadonlySet<string>> {
    const answer = await ec2.describeRegions({ AllRegions: true });
    return new Set((answer.Regions ?? []).filter((r) => r.OptInStatus !== "not-opted-in").map((r) => r.RegionName).filter((n): n is string => !!n));
}

/**
 * ec2:DescribeAvailabilityZones in each region the table holds that the account has enabled (standard
 * zones, opt-in not required): the zone names, sorted. A region that answers no zone fails the table.
 */
export const zones: TableRefresher = {
    table: "zones",
    async read(current, { aws }) {
        const out: Array<Fresh<string[]>> = [];
        const enabled = await enabledRegions(aws.ec2(aws.homeRegion));
        for (const region of current.entries.map((e) => e.key).filter((r) => !OTHER_PARTITION.test(r) && enabled.has(r))) {
            let answer;
            try {
                answer = await aws.ec2(region).describeAvailabilityZones({
                    Filters: [{ Name: "zone-type", Values: ["availability-zone"] }, { Name: "opt-in-status", Values: ["opt-in-not-required"] }],
                });
            } catch (e) {
                throw new Error(`${region}: ${(e as Error).message}`);
            }
            const names = (answer.AvailabilityZones ?? []).map((z) => z.ZoneName);
            if (names.length === 0) throw new Error(`${region} answered no availability zones`);
            const bad = names.find((n) => !n || !n.startsWith(region));
            if (bad !== undefined) throw new UnparsableError(`${region}: zone ${JSON.stringify(bad)} is not a zone of ${region}`);
            out.push({ key: region, value: (names as string[]).sort(), source: `ec2:DescribeAvailabilityZones (${region}, zone-type availability-zone, opt-in-not-required)` });
        }
        return out;
    },
};

/**
 * pricing:GetProducts (tools/plan/cost/refresh.ts) for every region of the `aws` partition the stack
 * schema accepts and every item the estimate prices; what the Price List does not answer is left as
 * it was (or stays unpriced: the estimate lists it, never guesses).
 */
export function prices(regions: () => readonly string[], instanceTypes: () => readonly string[]): TableRefresher {
    return {
        table: "prices",
        async read(current, { aws, today }) {
            const { table } = await refreshTable(aws.pricing(), regions(), instanceTypes(), today, (current as unknown as { hoursPerMonth: number }).hoursPerMonth);
            // The entries as `npm run prices -- --refresh` writes them (toPriceFacts); the merge dates them.
            return toPriceFacts(table).entries.map(({ key, value, source, note }) => {
                if (!(Number.isFinite(value.usd) && value.usd > 0)) throw new UnparsableError(`${key}: ${value.usd} is not a price`);
                return { key, value, source, ...(note === undefined ? {} : { note }) };
            });
        },
        extra(current) {
            const old = (current as unknown as { regions?: string[] }).regions ?? [];
            return { regions: [...new Set([...old, ...regions()])].sort() };
        },
    };
}

const byMinor = (a: string, b: string) => Number(a.split(".")[1]) - Number(b.split(".")[1]);

const AMI_PATH = (minor: string, release: string) =>
    `/aws/service/eks/optimized-ami/${minor}/amazon-linux-2023/x86_64/standard/amazon-eks-node-al2023-x86_64-standard-${minor}-${release}/image_id`;

/**
 * Which minors each known AL2023 release (and the one ami-releases pins) has AMIs for:
 * ssm:GetParameters of the per-release parameter Karpenter resolves the alias through, for every minor
 * of the calendar, 10 names a call. A release for which no minor answers fails the table.
 */
export const amiReleaseCoverage: TableRefresher = {
    table: "ami-release-coverage",
    async read(current, { aws, readTable }) {
        const pinned = (readTable("ami-releases").entries.find((e) => e.key === "al2023")?.value) as string | undefined;
        const keys = [...new Set([...current.entries.map((e) => e.key), ...(pinned ? [`al2023@${pinned}`] : [])])].filter((k) => k.startsWith("al2023@"));
        const minors = readTable("eks-versions").entries.map((e) => e.key).sort(byMinor);
        const ssm = aws.ssm(aws.homeRegion);
        const out: Array<Fresh<{ published: string; minors: string[] }>> = [];
        for (const key of keys) {
            const release = key.slice("al2023@".length);
            if (!/^v\d{8}$/.test(release)) throw new UnparsableError(`${key}: release ${JSON.stringify(release)} is not v<YYYYMMDD>`);
            const found: Array<{ minor: string; modified?: Date }> = [];
            for (let i = 0; i < minors.length; i += 10) {
                const chunk = minors.slice(i, i + 10);
                const answer = await ssm.getParameters({ Names: chunk.map((m) => AMI_PATH(m, release)) });
                for (const p of answer.Parameters ?? []) {
                    const minor = chunk.find((m) => p.Name === AMI_PATH(m, release));
                    if (minor && p.Value?.startsWith("ami-")) found.push({ minor, modified: p.LastModifiedDate });
                }
            }
            if (found.length === 0) throw new Error(`${key}: no AL2023 AMI parameter of release ${release} for any minor of the calendar`);
            const old = current.entries.find((e) => e.key === key)?.value as { published?: string } | undefined;
            const stamps = found.map((f) => f.modified).filter((d): d is Date => d instanceof Date).sort((a, b) => a.getTime() - b.getTime());
            const published = old?.published ?? (stamps[0] ? day(stamps[0], `${key} LastModifiedDate`) : `${release.slice(1, 5)}-${release.slice(5, 7)}-${release.slice(7, 9)}`);
            out.push({
                key, value: { published, minors: found.map((f) => f.minor).sort(byMinor) },
                source: `ssm:GetParameters ${AMI_PATH("<k8s>", release)} (${aws.homeRegion})`,
                ...(old ? {} : { note: "published: the earliest LastModifiedDate of the release's parameters" }),
            });
        }
        return out;
    },
};
