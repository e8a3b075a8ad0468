/**
 * Kubernetes resource quantities (k8s.io/apimachinery resource.Quantity):
 * <number><suffix>, suffix a binary SI one (Ki Mi Gi Ti Pi Ei), a decimal SI one (n u m "" k M G T P E)
 * or a decimal exponent (e3, E6). `512K` is not one: kilo is a lower-case `k`.
 * https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
 */
export const QUANTITY = /^[+]?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

const FACTOR: Record<string, number> = {
    Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
    n: 1e-9, u: 1e-6, m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
};

/** A quantity's value (bytes for memory, cores for CPU), or undefined when it is not a quantity. */
export function quantityValue(q: string): number | undefined {
    const m = QUANTITY.exec(q);
    if (!m) return undefined;
    const number = Number(m[1]);
    const suffix = m[3] ?? "";
    if (/^[eE]/.test(suffix)) return number * 10 ** Number(suffix.slice(1));
    return number * FACTOR[suffix];
}
