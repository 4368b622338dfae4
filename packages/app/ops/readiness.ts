import { pingDb, type Db } from "@flashsale/db";

const within = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error("timeout")), ms))]);

export type Readiness = { postgres: "ok" | "down"; redis: "ok" | "down"; rabbitmq: "ok" | "down" };

/** Whether each dependency answers within a second (the broker: whether the publisher is connected). */
export async function readiness(deps: { db: Db; redis: { ping(): Promise<unknown> }; publisher: { connected: boolean } }): Promise<Readiness> {
  const probe = async (f: () => Promise<unknown>) => within(f(), 1000).then(() => "ok" as const, () => "down" as const);
  return {
    postgres: await probe(() => pingDb(deps.db)),
    redis: await probe(() => deps.redis.ping()),
    rabbitmq: deps.publisher.connected ? "ok" : "down",
  };
}
