/**
 * The taint of the system node group (components/compute/system-nodes.ts): only critical add-ons
 * tolerate it. Here, at the bottom of the house, because config validation checks node groups against
 * it and stacks/ imports nothing from components/.
 */
export const SYSTEM_TAINT = { key: "CriticalAddonsOnly", value: "true", effect: "NoSchedule" } as const;
