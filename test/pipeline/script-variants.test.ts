import { randomUUID } from "node:crypto";
import { expect } from "chai";
import { connectRedis, mintOrderId, ReservationGate } from "@flashsale/reservations";
import { testConfig } from "../support/stack";

describe("the gate's scripts on an auto-pipelining connection", () => {
  it("when a script is first used with a new number of keys in the same tick as other commands, then every command answers (the variant is defined before it joins a pipeline)", async () => {
    const cfg = testConfig();
    const redis = connectRedis(cfg.redis, { autoPipelining: true });
    try {
      const gate = new ReservationGate(redis, `${cfg.redisPrefix}variants-${randomUUID().slice(0, 8)}:`);
      for (let lines = 1; lines <= 4; lines++) {
        const order = Array.from({ length: lines }, () => ({ itemId: randomUUID() }));
        const orderId = mintOrderId(order);
        // Two calls of the new variant and plain commands around them, all in one tick.
        const out = await Promise.all([
          gate.redis.get(gate.keys.itemRemaining(order[0]!.itemId)),
          gate.finishSettle(orderId, "REJECTED", order),
          gate.finishSettle(orderId, "REJECTED", order),
          gate.remaining(order.map((l) => l.itemId)),
        ]);
        expect(out.slice(0, 3), `${lines} lines`).to.deep.equal([null, false, false]);
      }
    } finally {
      redis.disconnect();
    }
  });
});
