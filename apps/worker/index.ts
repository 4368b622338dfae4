export { start, type RunningWorker } from "./start.ts";
