import { Router } from "express";
import type { ApiDeps } from "../deps.ts";
import { adjustWallet, readBalances, readLedger } from "@flashsale/app";
import { authenticate, requireRole } from "../http/auth.ts";
import { idempotencyScope, jsonBody } from "../http/body.ts";
import { decodeCursor, encodeCursor, PageQuery } from "../http/paging.ts";
import { WalletAdjustment } from "../http/requests.ts";
import { IdParam } from "../http/schemas.ts";

/** Balances, the ledger, and operators' credit and debit. */
export function walletRoutes(deps: ApiDeps): Router {
  const r = Router();
  const auth = authenticate(deps.verifyToken);

  r.get("/users/:id/balance", auth, async (req, res) => {
    const { id } = IdParam.parse(req.params);
    res.json(await readBalances(req.auth, id, deps));
  });

  r.get("/users/:id/ledger", auth, async (req, res) => {
    const { id } = IdParam.parse(req.params);
    // Shape before existence: a bad page query is 400 even on another buyer's ledger.
    const q = PageQuery.parse(req.query);
    const after = decodeCursor(q.cursor);
    const page = await readLedger(req.auth, id, { limit: q.limit, after }, deps);
    res.json({ data: page.data, nextCursor: encodeCursor(page.next) });
  });

  for (const direction of ["credit", "debit"] as const) {
    r.post(`/users/:id/balance/${direction}`, auth, requireRole("operator"), jsonBody, async (req, res) => {
      const { id } = IdParam.parse(req.params);
      const body = WalletAdjustment.parse(req.body);
      const scope = idempotencyScope(req, body); // a malformed key is shape: 400 before existence
      const out = await adjustWallet({ direction, userId: id, currency: body.currency, amount: body.amount }, scope, deps);
      res.status(out.status).json(out.body);
    });
  }
  return r;
}
