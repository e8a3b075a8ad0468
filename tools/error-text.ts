/**
 * The text of a failure, never empty: an error whose message is blank (a mock invoke's plain Error
 * the SDK rethrew as `new Error(undefined)`, a `throw ""`) is named by its class instead, so no
 * command ever prints "error: " with nothing after it.
 */
export function errorText(e: unknown): string {
    const message = e instanceof Error ? e.message : typeof e === "string" ? e : e === undefined ? "" : String(e);
    if (message.trim() !== "") return message;
    const kind = e instanceof Error ? e.name || "Error" : e === undefined || e === null ? String(e) : typeof e;
    return `${kind} without a message (the cause gave no text)`;
}
