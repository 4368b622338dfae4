import { AppError } from "@flashsale/domain";
import type { Db, Tx } from "./client.ts";
import { translateDbError } from "./prisma-errors.ts";

export interface IdempotencyScope {
  userId: string;
  key: string;
  requestHash: string;
}

export interface Replayable<T> {
  status: number;
  body: T;
  replayed: boolean;
}

/**
 * Runs `work` in one transaction that also claims (user, key). A repeat with the same body
 * gets the stored response and does nothing; a different body is IDEMPOTENCY_KEY_REUSED; a
 * repeat racing the first waits on the row lock and then replays the committed response.
 * Refusals roll back with the work, so a refused request's key may be used again. Database
 * errors, the work's included, come out as AppErrors (translateDbError).
 */
export async function runIdempotent<T>(db: Db, scope: IdempotencyScope | undefined, status: number, work: (tx: Tx) => Promise<T>): Promise<Replayable<T>> {
  return db.$transaction(
    async (tx) => {
      if (scope) {
        const claimed = await tx.$executeRaw`
          INSERT INTO idempotency_records (user_id, key, request_hash, status, body)
          VALUES (${scope.userId}::uuid, ${scope.key}, ${scope.requestHash}, 0, 'null'::jsonb)
          ON CONFLICT (user_id, key) DO NOTHING`;
        if (claimed === 0) {
          const rec = await tx.idempotencyRecord.findUniqueOrThrow({ where: { userId_key: { userId: scope.userId, key: scope.key } } });
          if (rec.requestHash !== scope.requestHash) {
            throw new AppError("IDEMPOTENCY_KEY_REUSED", "this Idempotency-Key was used with a different request");
          }
          return { status: rec.status, body: rec.body as T, replayed: true };
        }
      }
      const body = await work(tx);
      if (scope) {
        await tx.idempotencyRecord.update({
          where: { userId_key: { userId: scope.userId, key: scope.key } },
          data: { status, body: body as object },
        });
      }
      return { status, body, replayed: false };
    },
    { timeout: 15_000, maxWait: 15_000 },
  ).catch((err: unknown) => translateDbError(err));
}
