/**
 * The few Kubernetes API reads the checks make, over HTTPS with the cluster's CA and a bearer token.
 *
 * Why not @kubernetes/client-node (installed; ESM, and `require()`-able on the project's Node 24
 * launcher, checked): loading it takes about 1.1 s, a test suite's whole share of time, for four GETs.
 * These are plain GETs of stable v1 APIs:
 *   GET /api/v1/nodes
 *   GET /apis/apps/v1/namespaces/{ns}/deployments/{name}
 *   GET /api/v1/namespaces/{ns}/pods?labelSelector=...
 *   GET /apis/networking.k8s.io/v1/namespaces/{ns}/ingresses/{name}
 * https://kubernetes.io/docs/reference/kubernetes-api/
 */
import * as http from "http";
import * as https from "https";

export interface KubeReader {
    /** GETs an API path; resolves with the parsed body, or undefined on 404; rejects on other errors. */
    get(path: string): Promise<any>;
}

export interface KubeEndpoint {
    /** `https://...` (EKS); `http://127.0.0.1:port` only for the tests' fake API. */
    readonly server: string;
    /** PEM of the cluster CA (EKS gives it base64-encoded: decode first). */
    readonly ca?: string;
    /** Called per request: EKS tokens live 15 minutes. */
    readonly token: () => Promise<string>;
    /** @default 15 000 */
    readonly timeoutMs?: number;
}

export function kubeReader(e: KubeEndpoint): KubeReader {
    const base = new URL(e.server);
    if (base.protocol !== "https:" && !(base.protocol === "http:" && base.hostname === "127.0.0.1")) {
        throw new Error(`the Kubernetes API must be https (got ${e.server})`);
    }
    return {
        async get(path) {
            const token = await e.token();
            const url = new URL(path, base);
            return new Promise((resolve, reject) => {
                const options = { method: "GET", headers: { authorization: `Bearer ${token}`, accept: "application/json" }, timeout: e.timeoutMs ?? 15_000 };
                const req = url.protocol === "https:"
                    ? https.request(url, { ...options, ca: e.ca }, onResponse)
                    : http.request(url, options, onResponse);
                function onResponse(res: http.IncomingMessage) {
                    const chunks: Buffer[] = [];
                    res.on("data", (c) => chunks.push(c));
                    res.on("end", () => {
                        const text = Buffer.concat(chunks).toString("utf8");
                        if (res.statusCode === 404) return resolve(undefined);
                        if (!res.statusCode || res.statusCode >= 300) {
                            // The API's Status message, never the token.
                            let message = text.slice(0, 200);
                            try { message = JSON.parse(text).message ?? message; } catch { /* not JSON */ }
                            return reject(new Error(`GET ${path}: HTTP ${res.statusCode}: ${message}`));
                        }
                        try {
                            resolve(JSON.parse(text));
                        } catch {
                            reject(new Error(`GET ${path}: not JSON`));
                        }
                    });
                }
                req.on("timeout", () => req.destroy(new Error(`GET ${path}: no answer within ${(e.timeoutMs ?? 15_000) / 1000} s`)));
                req.on("error", (err) => reject(new Error(`GET ${path}: ${err.message}`)));
                req.end();
            });
        },
    };
}
