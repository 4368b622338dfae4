import { Router } from "express";
import { z } from "zod";
import { AppError } from "@flashsale/domain";
import { balances, creditWallet, debitWallet, ledgerPage, runIdempotent, userExists } from "@flashsale/db";
import type { ApiDeps } from "../deps.ts";
import { assertSelfOrOperator } from "@flashsale/app";
import { authenticate, requireRole } from "../http/auth.ts";
import { idempotencyScope, jsonBody } from "../http/body.ts";
import { decodeCursor, encodeCursor, PageQuery } from "../http/paging.ts";
import { Amount, Currency, IdParam } from "../http/schemas.ts";

const Adjust = z.object({ amount: Amount, currency: Currency });

/** Balances, the ledger, and operators' credit and debit. */
export function walletRoutes(deps: ApiDeps): Router {
  const r = Router();
  const auth = authenticate(deps.verifyToken);

  r.get("/users/:id/balance", auth, async (req, res) => {
    const { id } = IdParam.parse(req.params);
    assertSelfOrOperator(req.auth, id);
    if (req.auth!.role === "operator" && !(await userExists(deps.db, id))) throw new AppError("NOT_FOUND", "no such user");
    res.json(await balances(deps.db, id.toLowerCase()));
  });

  r.get("/users/:id/ledger", auth, async (req, res) => {
    const { id } = IdParam.parse(req.params);
    // Shape before existence: a bad page query is 400 even on another buyer's ledger.
    const q = PageQuery.parse(req.query);
    const after = decodeCursor(q.cursor);
    assertSelfOrOperator(req.auth, id);
    if (req.auth!.role === "operator" && !(await userExists(deps.db, id))) throw new AppError("NOT_FOUND", "no such user");
    const page = await ledgerPage(deps.db, id.toLowerCase(), q.limit, after);
    res.json({ data: page.data, nextCursor: encodeCursor(page.next) });
  });

  for (const direction of ["credit", "debit"] as const) {
    r.post(`/users/:id/balance/${direction}`, auth, requireRole("operator"), jsonBody, async (req, res) => {
      const { id } = IdParam.parse(req.params);
      const body = Adjust.parse(req.body);
      const scope = idempotencyScope(req, body); // a malformed key is shape: 400 before existence
      const userId = id.toLowerCase();
      if (!(await userExists(deps.db, userId))) throw new AppError("NOT_FOUND", "no such user");
      const out = await runIdempotent(deps.db, scope, 200, async (tx) => {
        const amount =
          direction === "credit"
            ? await creditWallet(tx, userId, body.currency, body.amount, "CREDIT")
            : await debitWallet(tx, userId, body.currency, body.amount, "DEBIT");
        return { userId, currency: body.currency, amount };
      });
      res.status(out.status).json(out.body);
    });
  }
  return r;
}
