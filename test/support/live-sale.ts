import { order } from "./fixtures";
import type { Buyer, Stack } from "./stack";

export interface SaleReply {
  buyer: Buyer;
  status: number;
  code?: string;
  orderId?: string;
  at: number;
}

/**
 * A live sale for the fault suites: buyers ordering one unit each from 4 paced clients (a pause
 * of `pauseMs` after each answer) until stop(), or until the buyers run out.
 */
export function liveSale(s: Stack, buyers: Buyer[], itemId: string, pauseMs = 50) {
  const replies: SaleReply[] = [];
  let next = 0;
  let stopping = false;
  let accepted = 0;
  const client = async () => {
    while (!stopping && next < buyers.length) {
      const buyer = buyers[next++]!;
      const r = await order(s, buyer.token, itemId);
      if (r.status === 202) accepted++;
      replies.push({ buyer, status: r.status, code: r.body?.code, orderId: r.body?.id, at: Date.now() });
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  };
  const clients = Promise.all(Array.from({ length: 4 }, client));
  return {
    accepted: () => accepted,
    done: () => next >= buyers.length,
    async stop(): Promise<SaleReply[]> {
      stopping = true;
      await clients;
      return replies;
    },
  };
}
