import { Router } from "express";
import { AppError } from "@flashsale/domain";
import { readiness } from "@flashsale/app";
import type { ApiDeps } from "../deps.ts";
import { sendProblem } from "../http/problem.ts";

/** Liveness and readiness: /readyz names every dependency that does not answer. */
export function healthRoutes(deps: ApiDeps): Router {
  const r = Router();
  r.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  r.get("/readyz", async (_req, res) => {
    const checks = await readiness(deps);
    const down = Object.entries(checks).filter(([, v]) => v === "down").map(([k]) => k);
    if (down.length === 0) return void res.json({ status: "ok", checks });
    sendProblem(res, new AppError("UNAVAILABLE", `not ready: ${down.join(", ")} unavailable`), { checks, unavailable: down });
  });
  return r;
}
