/**
 * IPv4 CIDR helpers on top of `netmask` (the CIDR library @pulumi/eks itself depends on).
 * Everything here is pure and strict: a CIDR with host bits set ("10.0.1.0/16") is rejected rather
 * than silently widened, because a typo in a VPC CIDR should never reach AWS.
 */
import { Netmask } from "netmask";

/** Parses "a.b.c.d/n" strictly; returns undefined for anything else. */
export function parseCidr(value: string): Netmask | undefined {
    if (typeof value !== "string" || !/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(value)) return undefined;
    try {
        const block = new Netmask(value);
        return `${block.base}/${block.bitmask}` === value ? block : undefined;
    } catch {
        return undefined;
    }
}

export function isCidr(value: string): boolean {
    return parseCidr(value) !== undefined;
}

/** True when two valid CIDR blocks share at least one address. */
export function cidrsOverlap(a: string, b: string): boolean {
    const x = parseCidr(a);
    const y = parseCidr(b);
    if (!x || !y) return false;
    return x.contains(y.base) || y.contains(x.base);
}

/** The `index`-th block of size /`prefix` inside `parent` (0-based). */
export function subBlock(parent: string, prefix: number, index: number): string {
    const p = parseCidr(parent);
    if (!p) throw new Error(`not a CIDR: ${parent}`);
    if (prefix < p.bitmask || prefix > 32) throw new Error(`/${prefix} does not fit in ${parent}`);
    const count = 2 ** (prefix - p.bitmask);
    if (index < 0 || index >= count) throw new Error(`${parent} holds ${count} blocks of /${prefix}, not ${index + 1}`);
    const first = new Netmask(`${p.base}/${prefix}`);
    return index === 0 ? first.toString() : first.next(index).toString();
}
