export { start, type RunningApi } from "./start";
export { createApp } from "./app";
export { issueToken } from "./http/auth";
export type { ApiDeps } from "./deps";
