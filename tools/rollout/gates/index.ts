/**
 * The sequence of gates every wave runs, in order (gate.ts says what a gate is). To add a gate:
 * its own file here and one line below, where it belongs in the sequence.
 */
import type { WaveGate } from "./gate";
import { healthGate } from "./health";
import { insightsGate } from "./insights";
import { preflightGate } from "./preflight";
import { previewGate } from "./preview";
import { trafficGate } from "./traffic";
import { upGate } from "./up";
import { bakeGate } from "./bake";
import { standingAlarmsGate } from "./standing-alarms";

export const WAVE_GATES: readonly WaveGate[] = [
    standingAlarmsGate, // the wave's regions' alarms do not already stand in ALARM
    insightsGate,   // EKS upgrade insights of the clusters whose version the wave changes
    preflightGate,  // the runner reaches the API endpoints of the wave's existing clusters
    previewGate,    // the wave's targeted preview: no errors, no mandatory policy violation, no region deletion
    upGate,         // the targeted update, then the stack outputs
    healthGate,     // every region of the wave is healthy
    trafficGate,    // with eks-platform:dns, the healthy regions get their names (alias records, health checks)
    bakeGate,       // the wave's regions' composite alarms stay out of ALARM for the bake time (serving their names)
];
