export interface LoadTally {
  accepted: string[];
  byStatus: Map<number | "network", number>;
  internalErrors: number;
}

/**
 * Buyers pressing "buy" in `lanes` concurrent loops until `stop()` is called: each request a
 * random buyer, one unit of the item. Records every answer; a 202's id goes into `accepted`.
 */
export function startSaleLoad(url: string, itemId: string, tokens: string[], lanes = 16) {
  const tally: LoadTally = { accepted: [], byStatus: new Map(), internalErrors: 0 };
  let running = true;
  const count = (k: number | "network") => tally.byStatus.set(k, (tally.byStatus.get(k) ?? 0) + 1);
  const lane = async () => {
    while (running) {
      const token = tokens[Math.floor(Math.random() * tokens.length)]!;
      try {
        const res = await fetch(`${url}/orders`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({ items: [{ itemId, quantity: 1 }] }),
          signal: AbortSignal.timeout(10_000),
        });
        const body = (await res.json().catch(() => ({}))) as { id?: string; code?: string };
        count(res.status);
        if (res.status === 202 && body.id) tally.accepted.push(body.id);
        if (res.status >= 500 && res.status !== 503) tally.internalErrors++;
      } catch {
        count("network");
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };
  const done = Promise.all(Array.from({ length: lanes }, lane));
  return {
    tally,
    async stop() {
      running = false;
      await done;
      return tally;
    },
  };
}
