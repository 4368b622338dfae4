import { expect } from "chai";
import { isolatedQueue, makeBuyer, startStack, type Stack } from "../support/stack";
import { makeItem, order } from "../support/fixtures";
import { call } from "../support/http";
import { waitFor } from "../support/wait";

/** Reads a whole SSE response into its `status` events (the stream must close by itself). */
async function readEvents(url: string, token: string, onOpen?: () => Promise<void>) {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: "text/event-stream" } });
  expect(res.status).to.equal(200);
  expect(res.headers.get("content-type")).to.match(/^text\/event-stream/);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buf = "";
  const events: { status: string }[] = [];
  let opened = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buf += decoder.decode(value, { stream: true });
    let sep: number;
    while ((sep = buf.indexOf("\n\n")) >= 0) {
      const block = buf.slice(0, sep);
      buf = buf.slice(sep + 2);
      const data = block.split("\n").find((l) => l.startsWith("data: "));
      if (block.includes("event: status") && data) events.push(JSON.parse(data.slice(6)));
    }
    if (!opened && events.length > 0) {
      opened = true;
      await onOpen?.();
    }
  }
  return events;
}

describe("live order status (SSE)", function () {
  this.timeout(30_000);
  let s: Stack;
  before(async () => {
    s = await startStack({ workers: 0, env: isolatedQueue() });
  });
  after(async () => s.stop());

  it("when the buyer listens to a new order, then it sees PENDING at once, then each change, and the stream closes after COMPLETED", async () => {
    const item = await makeItem(s, { stock: 2 });
    const buyer = await makeBuyer(s);
    const placed = await order(s, buyer.token, item.id);
    expect(placed.status).to.equal(202);
    const events = await readEvents(`${s.url}/orders/${placed.body.id}/events`, buyer.token, async () => {
      await s.addWorker();
    });
    const statuses = events.map((e) => e.status);
    expect(statuses[0]).to.equal("PENDING");
    expect(statuses[statuses.length - 1]).to.equal("COMPLETED");
    expect(statuses.filter((x) => x === "COMPLETED")).to.have.length(1);
    expect(events[events.length - 1]).to.include({ id: placed.body.id, userId: buyer.id });
  });

  it("when another buyer asks for the stream, then 404 ORDER_NOT_FOUND, and without a token 401", async () => {
    const item = await makeItem(s, { stock: 2 });
    const buyer = await makeBuyer(s);
    const other = await makeBuyer(s);
    const placed = await order(s, buyer.token, item.id);
    const r = await call(s.url, "GET", `/orders/${placed.body.id}/events`, { token: other.token });
    expect(r.status).to.equal(404);
    expect(r.body.code).to.equal("ORDER_NOT_FOUND");
    expect((await call(s.url, "GET", `/orders/${placed.body.id}/events`)).status).to.equal(401);
  });

  it("when the order is already final, then one event and the stream closes", async () => {
    const item = await makeItem(s, { stock: 2 });
    const buyer = await makeBuyer(s);
    const placed = await order(s, buyer.token, item.id);
    await waitFor("COMPLETED", async () => (await call(s.url, "GET", `/orders/${placed.body.id}`, { token: buyer.token })).body.status === "COMPLETED");
    const first = await readEvents(`${s.url}/orders/${placed.body.id}/events`, buyer.token);
    expect(first.map((e) => e.status)).to.deep.equal(["COMPLETED"]);
  });
});
