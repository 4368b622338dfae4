import http from "node:http";
import { expect } from "chai";
import { stack } from "../support/hooks";
import { call } from "../support/http";
import { makeBuyer, type Buyer } from "../support/stack";
import { makeItem } from "../support/fixtures";
import { exited, spawnApp } from "../support/processes";
import { waitFor } from "../support/wait";
import { freePort } from "../../load/bench/children";

/** POST /orders on a connection of its own, so the node:cluster primary hands it to either API process. */
function buyOnNewConnection(url: string, token: string, itemId: string): Promise<{ status: number; code?: string; id?: string }> {
  const body = JSON.stringify({ items: [{ itemId, quantity: 1 }] });
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/orders`, { method: "POST", agent: false, headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => {
        const parsed = JSON.parse(text);
        resolve({ status: res.statusCode!, code: parsed.code, id: parsed.id });
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("refusals answered from each API process's memory (API_PROCESSES=2)", function () {
  this.timeout(120_000);
  let url: string;
  let api: ReturnType<typeof spawnApp>;

  before(async () => {
    const port = await freePort();
    // The run's queue: the shared stack's workers settle what these API processes accept.
    api = spawnApp("api", { PORT: String(port), API_PROCESSES: "2" });
    url = `http://127.0.0.1:${port}`;
    await waitFor("both API processes answer", async () => (await fetch(`${url}/readyz`).catch(() => null))?.status === 200, 60_000);
  });
  after(async () => {
    api.kill("SIGTERM");
    await exited(api);
  });

  /** An item of one unit already sold and settled, refused to many buyers over fresh connections (both processes remember it). */
  async function soldOutAndRefused(buyers: Buyer[]) {
    const s = stack();
    const item = await makeItem(s, { stock: 1 });
    const first = await makeBuyer(s);
    const won = await buyOnNewConnection(url, first.token, item.id);
    expect(won.status).to.equal(202);
    const refusals = await Promise.all(Array.from({ length: 40 }, (_, i) => buyOnNewConnection(url, buyers[i % buyers.length]!.token, item.id)));
    expect(refusals.map((r) => r.code)).to.deep.equal(Array(40).fill("SOLD_OUT"));
    return { item, orderId: won.id! };
  }

  /** Buyers keep pressing "buy" on fresh connections until one is accepted (the unit came back on every process it reached). */
  async function untilAccepted(itemId: string, buyers: Buyer[]) {
    let i = 0;
    const accepted = await waitFor("a buyer accepted again", async () => {
      const r = await buyOnNewConnection(url, buyers[i++ % buyers.length]!.token, itemId);
      if (r.status === 202) return r;
      expect(r.code).to.equal("SOLD_OUT");
      return undefined;
    }, 10_000, 5);
    // Accepted exactly once: the unit that came back is reserved again, and the memory refuses the rest.
    const after = await Promise.all(buyers.map((b) => buyOnNewConnection(url, b.token, itemId)));
    expect(after.filter((r) => r.status === 202)).to.have.length(0);
    return accepted;
  }

  it("when an operator restocks a sold-out item, then a buyer is accepted again, whichever process answers", async () => {
    const s = stack();
    const buyers = await Promise.all(Array.from({ length: 6 }, () => makeBuyer(s)));
    const { item } = await soldOutAndRefused(buyers);
    const r = await call(s.url, "POST", `/items/${item.id}/restock`, { token: s.operator, body: { quantity: 1 } });
    expect(r.status, r.text).to.equal(200);
    await untilAccepted(item.id, buyers);
  });

  it("when a worker rejects the order holding the last unit (no funds), then its released unit is sold to another buyer", async () => {
    const s = stack();
    const buyers = await Promise.all(Array.from({ length: 6 }, () => makeBuyer(s)));
    const item = await makeItem(s, { stock: 1 });
    const broke = await makeBuyer(s, { USD: 0 });
    const held = await buyOnNewConnection(url, broke.token, item.id);
    expect(held.status).to.equal(202);
    // Refused while the broke buyer's reservation stands (the worker may be quick: then it is accepted at once below).
    await Promise.all(buyers.map((b) => buyOnNewConnection(url, b.token, item.id)));
    await waitFor("REJECTED", async () => (await call(s.url, "GET", `/orders/${held.id}`, { token: broke.token })).body.status === "REJECTED");
    const r = await call(s.url, "GET", `/items/${item.id}`);
    if (r.body.remaining === 1) await untilAccepted(item.id, buyers);
    else expect(r.body.remaining).to.equal(0); // a refused buyer took it already, after the release
  });

  it("when an operator refunds the order that took the last unit, then the unit is sold again", async () => {
    const s = stack();
    const buyers = await Promise.all(Array.from({ length: 6 }, () => makeBuyer(s)));
    const { item, orderId } = await soldOutAndRefused(buyers);
    await waitFor("COMPLETED", async () => (await call(s.url, "GET", `/orders/${orderId}`, { token: s.operator })).body.status === "COMPLETED");
    const r = await call(s.url, "POST", `/orders/${orderId}/refund`, { token: s.operator });
    expect(r.status, r.text).to.equal(200);
    await untilAccepted(item.id, buyers);
  });
});
