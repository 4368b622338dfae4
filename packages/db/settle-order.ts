import { POINTS_CURRENCY, type OrderStatus, type RejectionReason, type SettleCommand } from "@flashsale/domain";
import type pg from "pg";
import type { Db } from "./client.ts";

export type SettleOutcome =
  | { status: "COMPLETED"; rewardPoints: number; fresh: true }
  | { status: "REJECTED"; reason: RejectionReason; fresh: true }
  | { status: OrderStatus; reason?: string; fresh: false };

/**
 * How a settle reaches PostgreSQL: one parameterised statement, one round trip, in
 * autocommit. Two implementations, measured against each other by `npm run bench`
 * (README, "Settling"): plain node-postgres (the worker's choice) and the Prisma client.
 */
export interface SettleSql {
  query<T>(text: string, values: unknown[]): Promise<T[]>;
}

/** Settles through a node-postgres pool or client: the statement goes out as it is. */
export function pgSettleSql(conn: pg.Pool | pg.Client): SettleSql {
  return { query: async <T>(text: string, values: unknown[]) => (await conn.query(text, values)).rows as T[] };
}

/** Settles through the Prisma client's raw query. */
export function prismaSettleSql(db: Db): SettleSql {
  return { query: <T>(text: string, values: unknown[]) => db.$queryRawUnsafe<T[]>(text, ...values) };
}

const SETTLE = `SELECT status::text, reason, reward_points::float8 AS points, fresh
  FROM settle_order($1::uuid, $2::uuid, $3, $4::bigint, $5, $6::timestamptz, $7::timestamptz, $8::uuid[], $9::int[], $10::bigint[], $11)`;
const UNSETTLED = `SELECT record_unsettled_order($1::uuid, $2::uuid, $3::"OrderStatus", $4, $5, $6::bigint, $7, $8::timestamptz, NULL, $9::uuid[], $10::int[], $11::bigint[]) AS inserted`;

/**
 * Settles one queued order with one call of the settle_order() function (migration
 * 20261203000000): guarded per-buyer holding, guarded wallet debit with its ledger row,
 * reward points, the stock taken from one of the item's buckets, the order and its lines
 * COMPLETED — all or nothing. A business refusal records the order REJECTED with its reason
 * in the same call. Idempotent by order id: a redelivered command gets what the first
 * delivery settled, with `fresh: false`, and changes nothing.
 */
export async function settleOrder(sql: SettleSql, cmd: SettleCommand, startedAt: Date): Promise<SettleOutcome> {
  const rows = await sql.query<{ status: OrderStatus; reason: string | null; points: number; fresh: boolean }>(SETTLE, [
    cmd.orderId,
    cmd.userId,
    cmd.currency,
    String(cmd.total),
    cmd.idempotencyKey ?? null,
    new Date(cmd.createdAt),
    startedAt,
    cmd.lines.map((l) => l.itemId),
    cmd.lines.map((l) => l.quantity),
    cmd.lines.map((l) => String(l.price)),
    POINTS_CURRENCY,
  ]);
  const r = rows[0]!;
  if (!r.fresh) return { status: r.status, reason: r.reason ?? undefined, fresh: false };
  if (r.status === "COMPLETED") return { status: "COMPLETED", rewardPoints: Number(r.points), fresh: true };
  return { status: "REJECTED", reason: r.reason as RejectionReason, fresh: true };
}

/** Marks an order FAILED once its retries are spent (nothing was taken: no settle committed); false when it exists. */
export async function failOrder(sql: SettleSql, cmd: SettleCommand, reason: string): Promise<boolean> {
  const rows = await sql.query<{ inserted: boolean }>(UNSETTLED, [
    cmd.orderId,
    cmd.userId,
    "FAILED",
    reason,
    cmd.currency,
    String(cmd.total),
    cmd.idempotencyKey ?? null,
    new Date(cmd.createdAt),
    cmd.lines.map((l) => l.itemId),
    cmd.lines.map((l) => l.quantity),
    cmd.lines.map((l) => String(l.price)),
  ]);
  return rows[0]!.inserted;
}
