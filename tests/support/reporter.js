"use strict";
// Mocha's spec reporter, plus one closing line that CI reads: "N passed, N failed".
// The figures are mocha's own counts (runner.stats), not parsed from text.
const Mocha = require("mocha");
const { EVENT_RUN_END } = Mocha.Runner.constants;

class SpecWithTotals extends Mocha.reporters.Spec {
    constructor(runner, options) {
        super(runner, options);
        runner.once(EVENT_RUN_END, () => {
            const s = runner.stats;
            // Printed after Spec's epilogue, which is also bound to EVENT_RUN_END.
            process.nextTick(() => console.log(`${s.passes} passed, ${s.failures} failed, ${s.pending} skipped`));
        });
    }
}
module.exports = SpecWithTotals;
