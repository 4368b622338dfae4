import { Router } from "express";
import { AppError } from "@flashsale/domain";
import type { ApiDeps } from "../deps.ts";
import { sendProblem } from "../http/problem.ts";

const within = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error("timeout")), ms))]);

/** Liveness and readiness: /readyz names every dependency that does not answer. */
export function healthRoutes(deps: ApiDeps): Router {
  const r = Router();
  r.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  r.get("/readyz", async (_req, res) => {
    const probe = async (f: () => Promise<unknown>) => within(f(), 1000).then(() => "ok" as const, () => "down" as const);
    const checks = {
      postgres: await probe(() => deps.db.$queryRaw`SELECT 1`),
      redis: await probe(() => deps.redis.ping()),
      rabbitmq: deps.publisher.connected ? ("ok" as const) : ("down" as const),
    };
    const down = Object.entries(checks).filter(([, v]) => v === "down").map(([k]) => k);
    if (down.length === 0) return void res.json({ status: "ok", checks });
    sendProblem(res, new AppError("UNAVAILABLE", `not ready: ${down.join(", ")} unavailable`), { checks, unavailable: down });
  });
  return r;
}
