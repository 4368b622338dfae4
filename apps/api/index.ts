export { start, type RunningApi } from "./start.ts";
export { createApp } from "./app.ts";
export { issueToken } from "./http/auth.ts";
export type { ApiDeps } from "./deps.ts";
