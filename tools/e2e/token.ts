/**
 * A bearer token for an EKS cluster's Kubernetes API, built the way aws-iam-authenticator and
 * `aws eks get-token` build it: a SigV4-presigned STS `GetCallerIdentity` GET whose signed headers
 * include `x-k8s-aws-id: <cluster name>`, with `X-Amz-Expires=60` (ignored by STS: the URL is good
 * for 15 minutes after X-Amz-Date; the authenticator only checks 0..900), then
 * `"k8s-aws-v1." + base64url(url)` without padding.
 * Source: kubernetes-sigs/aws-iam-authenticator pkg/token/token.go (GetWithSTS: v1Prefix,
 * clusterIDHeader, requestPresignParam = 60, base64.RawURLEncoding; Verify: the parameter whitelist,
 * action GetCallerIdentity, the signed x-k8s-aws-id header, x-amz-expires 0..900).
 */
import { createHash, createHmac } from "crypto";

export interface AwsCredentials {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
}

export const TOKEN_PREFIX = "k8s-aws-v1.";
export const CLUSTER_ID_HEADER = "x-k8s-aws-id";

/** STS's regional endpoint (China regions are under amazonaws.com.cn). */
export function stsHost(region: string): string {
    return `sts.${region}.${region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com"}`;
}

function bytes(d: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
    if (typeof d === "string") return d;
    if (d instanceof ArrayBuffer) return new Uint8Array(d);
    return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
}

/** The SHA-256 the signer takes (@smithy/types Checksum), on node:crypto. */
class Sha256 {
    private readonly hash;
    constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
        this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", bytes(secret));
    }
    update(data: string | ArrayBuffer | ArrayBufferView): void {
        this.hash.update(bytes(data));
    }
    async digest(): Promise<Uint8Array> {
        return new Uint8Array(this.hash.digest());
    }
    reset(): void {
        throw new Error("not supported");
    }
}

/** The token for `cluster` in `region`, signed at `now` with `credentials`. */
export async function eksToken(cluster: string, region: string, credentials: AwsCredentials, now: Date = new Date()): Promise<string> {
    // Loaded here, not at the top: tests that never sign do not pay for it.
    const { SignatureV4 } = require("@smithy/signature-v4") as typeof import("@smithy/signature-v4");
    const signer = new SignatureV4({ credentials, region, service: "sts", sha256: Sha256 });
    const hostname = stsHost(region);
    const signed = await signer.presign({
        method: "GET", protocol: "https:", hostname, path: "/",
        query: { Action: "GetCallerIdentity", Version: "2011-06-15" },
        headers: { host: hostname, [CLUSTER_ID_HEADER]: cluster },
    }, { expiresIn: 60, signingDate: now });
    const query = Object.entries(signed.query ?? {})
        .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
        .join("&");
    const url = `https://${hostname}/?${query}`;
    return TOKEN_PREFIX + Buffer.from(url).toString("base64url");
}

/** The default credentials chain (environment, profile, SSO, web identity, ...), as the SDK clients use it. */
export function defaultCredentials(): () => Promise<AwsCredentials> {
    const { defaultProvider } = require("@aws-sdk/credential-provider-node") as typeof import("@aws-sdk/credential-provider-node");
    return defaultProvider();
}
