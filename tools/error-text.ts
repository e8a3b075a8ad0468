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

/**
 * `errorText` led by the error's name when the error has both (`AccessDeniedException: User ...`):
 * an AWS SDK v3 error's name is the service's error code (@smithy/core ServiceException sets
 * `this.name = options.name`), which says what to fix. A value that is not an Error, or has no
 * text, reads as `errorText` alone; nothing but an Error's own name and message is read.
 */
export function namedErrorText(e: unknown): string {
    const text = errorText(e);
    return e instanceof Error && e.name && e.message.trim() !== "" ? `${e.name}: ${text}` : text;
}
