/**
 * Access logs of the ALBs (internet-facing and internal): the S3 bucket the platform creates for them, and the
 * decisions behind it as pure functions (who may write, where, for how long).
 *
 * AWS, "Enable access logs for your Application Load Balancer":
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
 * - the bucket is in the load balancer's region; the only server-side encryption supported is SSE-S3
 *   (not SSE-KMS), so the bucket's default encryption is AES256;
 * - the bucket policy depends on the region: regions available before August 2022 grant s3:PutObject to
 *   the region's Elastic Load Balancing account (`arn:aws:iam::<elb-account-id>:root`, table below),
 *   regions launched in or after August 2022 grant it to the service principal
 *   `logdelivery.elasticloadbalancing.amazonaws.com`;
 * - logs are written under `<bucket>/<prefix>/AWSLogs/<account-id>/`; the prefix must not contain `AWSLogs`.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ELB_LOG_ACCOUNTS } from "../facts/elb-log-accounts";

/** The service principal of ELB log delivery in regions launched in or after August 2022. */
export const ELB_LOG_DELIVERY_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com";

/** Prefix of the internet-facing ALBs' logs in the bucket (`<prefix>/AWSLogs/<account>/...`). */
export const ALB_LOG_PREFIX = "alb-public";

/** Prefix of each scheme's logs: the internet-facing and the internal ALBs log side by side in one bucket. */
export const ALB_LOG_PREFIXES = { "internet-facing": ALB_LOG_PREFIX, internal: "alb-internal" } as const;

export type AlbScheme = keyof typeof ALB_LOG_PREFIXES;

/** Who writes ELB access logs in a region: its ELB account, or the log-delivery service. */
export function elbLogWriter(region: string): { AWS: string } | { Service: string } {
    // The region's ELB account (regions available before August 2022, facts/data/elb-log-accounts.json).
    const account = ELB_LOG_ACCOUNTS[region];
    return account ? { AWS: `arn:aws:iam::${account}:root` } : { Service: ELB_LOG_DELIVERY_SERVICE };
}

export interface LogBucketPolicyInput {
    readonly bucketArn: string;
    readonly accountId: string;
    readonly region: string;
    /** Where ELB may write: `<prefix>/AWSLogs/<account>/` for each. */
    readonly prefixes: readonly string[];
}

/**
 * The bucket policy: ELB may put objects under this account's log path only, and nobody may use the
 * bucket without TLS (Security Hub S3.5). The ALB page does not say whether delivery uses TLS (AWS
 * services call S3 over HTTPS; the deny is commonly combined with ELB delivery). Were it refused, it
 * would not be silent: ELB test-writes when the attribute is set, and ModifyLoadBalancerAttributes fails
 * with "InvalidConfigurationRequest: Access Denied for bucket" (as reported in
 * terraform-aws-modules/terraform-aws-s3-bucket#185), which the controller reports on the Ingress.
 */
export function albLogBucketPolicy(p: LogBucketPolicyInput): Record<string, unknown> {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ElbLogDelivery",
                Effect: "Allow",
                Principal: elbLogWriter(p.region),
                Action: "s3:PutObject",
                Resource: p.prefixes.map((prefix) => `${p.bucketArn}/${prefix}/AWSLogs/${p.accountId}/*`),
            },
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [p.bucketArn, `${p.bucketArn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ],
    };
}

/**
 * ALB attributes of a class's IngressClassParams (AWS LoadBalancerAttribute keys): access logs under the
 * scheme's prefix, and deletion protection. Internal ALBs get the same as internet-facing ones: their
 * traffic is no less worth an audit trail, and deleting one is no less an outage.
 */
export function albAttributes(o: { readonly logBucket?: string; readonly deletionProtection: boolean }, scheme: AlbScheme): Array<{ key: string; value: string }> {
    return [
        ...(o.logBucket === undefined ? [] : [
            { key: "access_logs.s3.enabled", value: "true" },
            { key: "access_logs.s3.bucket", value: o.logBucket },
            { key: "access_logs.s3.prefix", value: ALB_LOG_PREFIXES[scheme] },
        ]),
        // Set off explicitly too, so turning it off (the destroy path) reaches the ALB.
        { key: "deletion_protection.enabled", value: String(o.deletionProtection) },
    ];
}

export interface AlbLogBucketArgs {
    readonly provider: aws.Provider;
    readonly region: string;
    /** Days until a log object expires. */
    readonly retentionDays: number;
    /**
     * Keep the bucket (and its settings, so its objects still expire) in AWS when the stack is destroyed:
     * access logs of production are audit data. Otherwise `pulumi destroy` empties and deletes it.
     * @default false
     */
    readonly retainOnDestroy?: boolean;
}

/**
 * The log bucket: SSE-S3, every public access blocked, ACLs off (BucketOwnerEnforced: ELB's objects
 * belong to the bucket owner), expiry after `retentionDays`, and the delivery policy of the region.
 */
export class AlbLogBucket extends pulumi.ComponentResource {
    public readonly bucketName: pulumi.Output<string>;

    constructor(name: string, args: AlbLogBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("eks-platform:index:AlbLogBucket", name, {}, opts);
        const retain = args.retainOnDestroy ?? false;
        const on = { parent: this, provider: args.provider, retainOnDelete: retain };

        // Auto-named from `${name}-bucket` plus a random suffix: within S3's 63 characters for the longest
        // environment and region (10 + 1 + 14 + "-ingress-alb-logs-bucket" + 8 = 57), and a retained bucket
        // never blocks a new one.
        const bucket = new aws.s3.Bucket(`${name}-bucket`, { forceDestroy: !retain }, on);
        const ownership = new aws.s3.BucketOwnershipControls(`${name}-ownership`, {
            bucket: bucket.id,
            rule: { objectOwnership: "BucketOwnerEnforced" },
        }, on);
        const publicAccess = new aws.s3.BucketPublicAccessBlock(`${name}-public-access`, {
            bucket: bucket.id,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        }, on);
        const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-encryption`, {
            bucket: bucket.id,
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
        }, on);
        new aws.s3.BucketLifecycleConfiguration(`${name}-lifecycle`, {
            bucket: bucket.id,
            // The internet-facing rule keeps its id; the internal ALBs' logs expire alike.
            rules: Object.values(ALB_LOG_PREFIXES).map((prefix) => ({
                id: prefix === ALB_LOG_PREFIX ? "expire-access-logs" : `expire-access-logs-${prefix}`,
                status: "Enabled",
                filter: { prefix: `${prefix}/` },
                expiration: { days: args.retentionDays },
                abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
            })),
        }, on);
        const accountId = aws.getCallerIdentityOutput({}, { parent: this, provider: args.provider }).accountId;
        const policy = new aws.s3.BucketPolicy(`${name}-policy`, {
            bucket: bucket.id,
            policy: pulumi.all([bucket.arn, accountId]).apply(([bucketArn, id]) => JSON.stringify(
                albLogBucketPolicy({ bucketArn, accountId: id, region: args.region, prefixes: Object.values(ALB_LOG_PREFIXES) }))),
        }, { ...on, dependsOn: [publicAccess, ownership] });

        // The controller sets the ALB attribute only once ELB can write (it checks on ModifyLoadBalancerAttributes).
        this.bucketName = pulumi.all([bucket.bucket, policy.id, encryption.id]).apply(([b]) => b);
        this.registerOutputs({ bucketName: this.bucketName });
    }
}
