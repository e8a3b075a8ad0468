/**
 * The issues a config parser refuses with (a ConfigError's, key and message each), for tests of
 * stack-config validation. Asynchronous rejections of a whole program: fixtures.ts configErrorOf.
 */
import { strict as assert } from "assert";
import { parsePlatformConfig } from "../../stacks/config";
import { ConfigError } from "../../stacks/errors";

/**
 * The ConfigError `parse` throws; fails the test when it accepts (saying `expected`), rethrows any
 * other error.
 */
export function configErrorThrownBy(parse: () => unknown, expected = "expected the config to be rejected"): ConfigError {
    try {
        parse();
    } catch (e) {
        if (e instanceof ConfigError) return e;
        throw e;
    }
    return assert.fail(expected);
}

/** The issues of the ConfigError `parse` throws; fails the test when it accepts, rethrows any other error. */
export function rejectedIssues(parse: () => unknown): ConfigError["issues"] {
    return configErrorThrownBy(parse).issues;
}

/** The issues parsePlatformConfig refuses `raw` with (stack "test"); fails the test when it accepts. */
export function issuesOf(raw: Record<string, unknown>): ConfigError["issues"] {
    return rejectedIssues(() => parsePlatformConfig(raw, "test"));
}

/** Fails unless parsePlatformConfig refuses `raw` with an issue at `key` whose message matches `pattern`. */
export function expectIssue(raw: Record<string, unknown>, key: string, pattern: RegExp): void {
    const issues = issuesOf(raw);
    const hit = issues.find((i) => i.key === key);
    assert.ok(hit, `no issue for ${key}; got: ${issues.map((i) => `${i.key}: ${i.message}`).join(" | ")}`);
    assert.match(hit.message, pattern);
}

/**
 * [key, message] of each issue `parse` refuses with, or [] when it accepts: for tests that check
 * acceptance and refusal alike. Rethrows any error other than a ConfigError.
 */
export function issuePairs(parse: () => unknown): Array<[string, string]> {
    try {
        parse();
    } catch (e) {
        if (e instanceof ConfigError) return e.issues.map((i) => [i.key, i.message]);
        throw e;
    }
    return [];
}
