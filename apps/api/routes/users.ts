import { Router } from "express";
import bcrypt from "bcryptjs";
import { z } from "zod";
import { AppError } from "@flashsale/domain";
import { createUser, findUserForLogin, runIdempotent } from "@flashsale/db";
import type { ApiDeps } from "../deps.ts";
import { authenticate, issueToken, requireRole } from "../http/auth.ts";
import { idempotencyScope, jsonBody } from "../http/body.ts";
import { loginAttemptLimit, rateLimit } from "../http/rate-limit.ts";
import { Text } from "../http/schemas.ts";

const NewUser = z.object({
  email: z.email().max(254),
  password: z.string().min(8).max(200).optional(),
  role: z.enum(["buyer", "operator"]).default("buyer"),
});

const Login = z.object({ email: Text.max(254), password: z.string().max(200) });

// Compared against when the email is unknown, so a login costs the same either way.
const DUMMY_HASH = bcrypt.hashSync("flashsale-timing-equaliser", 10);

/** POST /users (operators create accounts) and POST /auth/token (login). */
export function userRoutes(deps: ApiDeps): Router {
  const r = Router();
  r.post("/users", authenticate(deps.verifyToken), requireRole("operator"), jsonBody, async (req, res) => {
    const body = NewUser.parse(req.body);
    const passwordHash = body.password ? await bcrypt.hash(body.password, 10) : undefined;
    const out = await runIdempotent(deps.db, idempotencyScope(req, body), 201, (tx) =>
      createUser(tx, { email: body.email, passwordHash, role: body.role }),
    );
    res.status(out.status).location(`/users/${out.body.id}`).json(out.body);
  });
  const loginLimit = rateLimit(deps.redis, deps.cfg.redisPrefix, { userPerSec: 0, ipPerSec: deps.cfg.rateLimit.ipPerSec }, "login");
  const attemptLimit = loginAttemptLimit(deps.redis, deps.cfg.redisPrefix, deps.cfg.rateLimit.userPerSec);
  r.post("/auth/token", loginLimit, jsonBody, async (req, res) => {
    const body = Login.parse(req.body);
    await attemptLimit(body.email);
    const user = await findUserForLogin(deps.db, body.email);
    const ok = await bcrypt.compare(body.password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !user.passwordHash || !ok) throw new AppError("INVALID_CREDENTIALS", "email or password is wrong");
    res.json(issueToken(deps.cfg.jwt, { id: user.id, role: user.role }));
  });
  return r;
}
