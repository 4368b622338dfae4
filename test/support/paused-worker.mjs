// A settle worker that waits at one stage of every settle (TEST_PAUSE_AT=before-settle:ms or
// after-commit:ms), so a test can SIGKILL or SIGTERM it exactly there. Otherwise it is
// apps/worker/main.ts: the compiled worker, the same process runner. Plain JavaScript, run by node.
import { config, exitOnFatal, runUntilSignal } from "@flashsale/config";
import { start } from "@flashsale/worker";
import { pino } from "pino";

const [stage, ms] = (process.env.TEST_PAUSE_AT ?? "").split(":");
if (!["before-settle", "after-commit"].includes(stage) || !/^\d+$/.test(ms ?? "")) throw new Error("TEST_PAUSE_AT must be before-settle:<ms> or after-commit:<ms>");
const wait = () => new Promise((resolve) => setTimeout(resolve, Number(ms)));
const stages = stage === "before-settle" ? { beforeSettle: wait } : { afterCommit: wait };

const cfg = config();
const log = pino({ level: cfg.logLevel, name: "worker" });
await runUntilSignal(log, () => start(cfg, log, { stages }));
exitOnFatal(log);
