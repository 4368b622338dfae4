import type { Db } from "@flashsale/db";
import { listed, rows, type Violation } from "./violation";

const TERMINAL = ["COMPLETED", "REJECTED", "FAILED", "REFUNDED"];

/** Invariant 4, after the queue drained: every order in PostgreSQL has a terminal status. */
export async function checkTerminal(db: Db): Promise<Violation[]> {
  const open = await rows<{ id: string; status: string }>(
    db,
    `SELECT id::text, status::text FROM orders WHERE NOT (status::text = ANY($1::text[]))`,
    TERMINAL,
  );
  return listed(open, (r) => ({ invariant: 4, check: "order not terminal", detail: `order ${r.id} is ${r.status}` }));
}

/** The accepted ids (answered 202) that have no row in PostgreSQL: lost orders, once the queue drained. */
export async function lostOrders(db: Db, acceptedIds: string[]): Promise<string[]> {
  const found = new Set<string>();
  for (let i = 0; i < acceptedIds.length; i += 10_000) {
    const part = acceptedIds.slice(i, i + 10_000);
    const r = await rows<{ id: string }>(db, `SELECT id::text FROM orders WHERE id = ANY($1::uuid[])`, part);
    for (const { id } of r) found.add(id);
  }
  return acceptedIds.filter((id) => !found.has(id));
}

/** Invariant 4: each accepted id has exactly one order row (the primary key forbids two). */
export async function checkAccepted(db: Db, acceptedIds: string[]): Promise<Violation[]> {
  const lost = await lostOrders(db, [...new Set(acceptedIds.map((id) => id.toLowerCase()))]);
  return listed(lost, (id) => ({ invariant: 4, check: "accepted order lost", detail: `order ${id} was answered 202 but has no row` }));
}
