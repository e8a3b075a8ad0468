// Loaded by .mocharc.json before any test: pins "today" for the EKS support-calendar checks
// (stacks/today.ts), so that the suite gives the same answers on any day. Tests that need another
// day pass `today` explicitly.
process.env.EKS_PLATFORM_TODAY = "2026-11-29";
