/**
 * Availability zones per region, as `aws ec2 describe-availability-zones --filters
 * Name=opt-in-status,Values=opt-in-not-required` answers them: the one table of zone names the mock
 * engine answers `aws:index/getAvailabilityZones` from (tools/harness/invokes.ts). The mock only:
 * the program itself always asks AWS, and validation never reads this table, because the real
 * answer depends on the account.
 *
 * As of 2026-11-29. Sources: AWS Regions and Availability Zones, "AWS Availability Zones"
 * (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html:
 * every Region has at least three zones; a zone's name is the Region code plus a letter; the AZ IDs
 * per Region) and the zone names `describe-availability-zones` returns.
 *
 * Account-dependent: in the oldest Regions (us-east-1, us-west-1, ap-northeast-1, ...) accounts created
 * before November 2025 map zone names to physical zones (AZ IDs) independently, and some accounts
 * see only some of the letters (us-west-1 offers two zones per account, e.g. a and c or b and c;
 * ap-northeast-1 offers a, c and d to accounts created since 2012). The names below are the ones a
 * current account sees; pin `availabilityZones` in a stack when the exact zones matter.
 */
export const ZONES_AS_OF = "2026-11-29";

/** Region code -> zone letters (the zone names are the code plus each letter). */
const ZONE_LETTERS: Readonly<Record<string, string>> = {
    "us-east-1": "abcdef",
    "us-east-2": "abc",
    "us-west-1": "ac",
    "us-west-2": "abcd",
    "af-south-1": "abc",
    "ap-east-1": "abc",
    "ap-east-2": "abc",
    "ap-northeast-1": "acd",
    "ap-northeast-2": "abcd",
    "ap-northeast-3": "abc",
    "ap-south-1": "abc",
    "ap-south-2": "abc",
    "ap-southeast-1": "abc",
    "ap-southeast-2": "abc",
    "ap-southeast-3": "abc",
    "ap-southeast-4": "abc",
    "ap-southeast-5": "abc",
    "ap-southeast-6": "abc",
    "ap-southeast-7": "abc",
    "ca-central-1": "abd",
    "ca-west-1": "abc",
    "eu-central-1": "abc",
    "eu-central-2": "abc",
    "eu-north-1": "abc",
    "eu-south-1": "abc",
    "eu-south-2": "abc",
    "eu-west-1": "abc",
    "eu-west-2": "abc",
    "eu-west-3": "abc",
    "il-central-1": "abc",
    "me-central-1": "abc",
    "me-south-1": "abc",
    "mx-central-1": "abc",
    "sa-east-1": "abc",
    "cn-north-1": "abd",
    "cn-northwest-1": "abc",
    "us-gov-east-1": "abc",
    "us-gov-west-1": "abc",
};

/** The zone names of `region` in the table, or undefined for a region it does not hold. */
export function zonesOf(region: string): string[] | undefined {
    const letters = ZONE_LETTERS[region];
    return letters === undefined ? undefined : [...letters].map((l) => `${region}${l}`);
}

/** Regions the table holds. */
export function regionsWithZones(): string[] {
    return Object.keys(ZONE_LETTERS).sort();
}
