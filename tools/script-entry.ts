/**
 * The entry-point tail of the rollout and e2e commands (`if (require.main === module) ...`): run `main`
 * on the arguments, exit with the code it resolves to; on a rejection print the error's stack (else its
 * message) and exit with the command's failure code. `process.exit`, not `process.exitCode`: the
 * commands may leave handles open (a cancelled `pulumi` child, a timer of the bake), and the outcome
 * is decided once `main` settles.
 */

export interface ScriptEntryDeps {
    /** @default process.exit */
    readonly exit?: (code: number) => void;
    /** Where an unexpected error's text goes. @default console.error */
    readonly error?: (text: string) => void;
}

/** Runs `main(argv)` as the process's command; resolves once the exit was asked for (for tests). */
export function runAsScript(
    main: (argv: readonly string[]) => Promise<number>,
    failedCode: number,
    argv: readonly string[] = process.argv.slice(2),
    deps: ScriptEntryDeps = {},
): Promise<void> {
    const exit = deps.exit ?? ((code: number) => process.exit(code));
    const error = deps.error ?? ((text: string) => console.error(text));
    return main(argv).then(
        (code) => exit(code),
        (e) => {
            error(e instanceof Error ? e.stack ?? e.message : String(e));
            exit(failedCode);
        },
    );
}
