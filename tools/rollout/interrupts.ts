/**
 * SIGINT/SIGTERM handling for the rollout command. The first signal aborts `signal` (the rollout
 * then cancels the running operation and starts nothing new); a second one calls `onForce`, for an
 * operator or CI runner that will not wait (GitHub Actions sends SIGINT, then SIGTERM 7.5 s later,
 * then kills).
 */
export type SignalName = "SIGINT" | "SIGTERM";

/** The part of `process` used, so tests can pass an EventEmitter. */
export interface SignalSource {
    on(event: SignalName, listener: (signal: SignalName) => void): unknown;
    off(event: SignalName, listener: (signal: SignalName) => void): unknown;
}

export class Interrupts {
    private readonly controller = new AbortController();
    private count = 0;

    constructor(private readonly handlers: {
        readonly onFirst?: (signal: SignalName) => void;
        readonly onForce?: (signal: SignalName) => void;
    } = {}) {}

    get signal(): AbortSignal {
        return this.controller.signal;
    }

    /** How many signals arrived. */
    get received(): number {
        return this.count;
    }

    handle(signal: SignalName): void {
        this.count++;
        if (this.count === 1) {
            this.controller.abort(new Error(`${signal} received`));
            this.handlers.onFirst?.(signal);
        } else {
            this.handlers.onForce?.(signal);
        }
    }

    /** Listens for SIGINT and SIGTERM (replacing Node's default exit); returns the way to stop listening. */
    install(source: SignalSource = process): () => void {
        const listener = (signal: SignalName) => this.handle(signal);
        source.on("SIGINT", listener);
        source.on("SIGTERM", listener);
        return () => {
            source.off("SIGINT", listener);
            source.off("SIGTERM", listener);
        };
    }
}
