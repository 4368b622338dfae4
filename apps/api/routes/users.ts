import { Router } from "express";
import { createUser, signIn } from "@flashsale/app";
import type { ApiDeps } from "../deps.ts";
import { authenticate, issueToken, requireRole } from "../http/auth.ts";
import { idempotencyScope, jsonBody } from "../http/body.ts";
import type { ApiLimits } from "../http/rate-limit.ts";
import { Login, NewUser } from "../http/requests.ts";

/** POST /users (operators create accounts) and POST /auth/token (login). */
export function userRoutes(deps: ApiDeps, limits: Pick<ApiLimits, "login" | "loginAttempt">): Router {
  const r = Router();
  r.post("/users", authenticate(deps.verifyToken), requireRole("operator"), jsonBody, async (req, res) => {
    const body = NewUser.parse(req.body);
    const out = await createUser(body, idempotencyScope(req, body), deps);
    res.status(out.status).location(`/users/${out.body.id}`).json(out.body);
  });
  r.post("/auth/token", limits.login, jsonBody, async (req, res) => {
    const body = Login.parse(req.body);
    await limits.loginAttempt(body.email);
    res.json(issueToken(deps.cfg.jwt, await signIn(body, deps)));
  });
  return r;
}
