import { parsePlatformConfig } from "./stacks/config";
import { validRaw } from "./tests/support/fixtures";
const raw = validRaw();
raw.apps = [{ name: "a", namespace: "a", image: "nginx:1.2.3", containerPort: 80, listeners: ["TCP"] }];
try { parsePlatformConfig(raw, "t", { today: "2026-12-04" }); } catch (e) { console.log((e as Error).message); }
