import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/client.ts";

export type Db = InstanceType<typeof PrismaClient>;
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/** A node-postgres pool; the worker settles through it and gives it to its Prisma client. */
export function createPool(connectionString: string, max = 10): pg.Pool {
  return new pg.Pool({ connectionString, max });
}

/** A Prisma client over node-postgres (no query engine binary); one per process. On a given pool, the caller ends the pool. */
export function createDb(connection: string | pg.Pool, poolSize = 10): Db {
  const adapter = typeof connection === "string" ? new PrismaPg({ connectionString: connection, max: poolSize }) : new PrismaPg(connection);
  return new PrismaClient({ adapter });
}

/**
 * A Prisma client on a streaming replica, for reads that may lag the primary. A connection
 * attempt gives up after 1 s and a query after 3 s (its connection is then dropped), so a
 * replica that is away or wedged costs a read that long at most before the caller turns to the primary.
 */
export function createReplicaDb(connectionString: string, poolSize = 10): Db {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max: poolSize, connectionTimeoutMillis: 1000, query_timeout: 3000 }) });
}

/** One round trip to PostgreSQL (readiness). */
export async function pingDb(db: Db): Promise<void> {
  await db.$queryRaw`SELECT 1`;
}
