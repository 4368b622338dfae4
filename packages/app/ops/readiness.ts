import { pingDb, type Db } from "@flashsale/db";
import { replicaProbed } from "../lagging-reads.ts";

const within = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error("timeout")), ms))]);

type Check = "ok" | "down";
/** `replica` only when DATABASE_REPLICA_URL is set. */
export type ReadinessChecks = { postgres: Check; redis: Check; rabbitmq: Check; replica?: Check };
const REQUIRED = ["postgres", "redis", "rabbitmq"] as const;
export type Readiness = { checks: ReadinessChecks; unavailable: (typeof REQUIRED)[number][] };

/**
 * Whether each dependency answers within a second (the broker: whether the publisher is
 * connected), and the ones the API cannot serve without. The replica is reported but never
 * makes the API unready: while it is away its reads go to the primary (lagging()), and once it
 * answers again they return to it.
 */
export async function readiness(deps: { db: Db; readDb: Db; redis: { ping(): Promise<unknown> }; publisher: { connected: boolean } }): Promise<Readiness> {
  const probe = async (f: () => Promise<unknown>) => within(f(), 1000).then(() => "ok" as const, () => "down" as const);
  const [postgres, redis, replica] = await Promise.all([
    probe(() => pingDb(deps.db)),
    probe(() => deps.redis.ping()),
    deps.readDb === deps.db ? undefined : probe(() => pingDb(deps.readDb)),
  ]);
  const checks: ReadinessChecks = { postgres, redis, rabbitmq: deps.publisher.connected ? "ok" : "down" };
  if (replica) {
    checks.replica = replica;
    replicaProbed(deps.readDb, replica === "ok");
  }
  return { checks, unavailable: REQUIRED.filter((k) => checks[k] === "down") };
}
