import { Router } from "express";
import { AppError } from "@flashsale/domain";
import { readiness } from "@flashsale/app";
import type { ApiDeps } from "../deps.ts";
import { sendProblem } from "../http/problem.ts";

/** Liveness and readiness: /readyz names every dependency that does not answer (a replica that is away is named in `checks` only). */
export function healthRoutes(deps: ApiDeps): Router {
  const r = Router();
  r.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  r.get("/readyz", async (_req, res) => {
    const { checks, unavailable } = await readiness(deps);
    if (unavailable.length === 0) return void res.json({ status: "ok", checks });
    sendProblem(res, new AppError("UNAVAILABLE", `not ready: ${unavailable.join(", ")} unavailable`), { checks, unavailable });
  });
  return r;
}
