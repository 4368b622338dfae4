import { randomUUID } from "node:crypto";
import { expect } from "chai";
import { issueToken } from "@flashsale/api";
import { stack } from "../support/hooks";
import { makeItem, moneyOf, order } from "../support/fixtures";
import { makeBuyer, type Buyer } from "../support/stack";
import { waitFor } from "../support/wait";
import { assertWellFormed, send, type Answer } from "./refusal-checks";
import { routesOf } from "./route-table";

async function get(path: string, token: string): Promise<Answer> {
  const a = await send(stack().url, { method: "GET", path, headers: { authorization: `Bearer ${token}` } });
  assertWellFormed(a, `GET ${path}`);
  return a;
}

/** What a client can compare between two answers: status, media type and the whole body. */
const visible = (a: Answer) => ({ status: a.status, type: a.type, body: a.body });

describe("authentication attacks: reaching what is not yours", function () {
  this.timeout(60_000);
  let victim: Buyer;
  let intruder: Buyer;
  let victimOrder: string;

  before(async () => {
    const s = stack();
    victim = await makeBuyer(s, { USD: 10_000 });
    intruder = await makeBuyer(s, { USD: 10_000 });
    const item = await makeItem(s, { stock: 5 });
    const placed = await order(s, victim.token, item.id);
    expect(placed.status, placed.text).to.equal(202);
    victimOrder = placed.body.id;
  });

  const orderPaths = (): ((id: string) => string)[] => {
    const paths = [(id: string) => `/orders/${id}`, (id: string) => `/orders/${id}/status`];
    if (routesOf(stack()).some((r) => r.path === "/orders/:id/events")) paths.push((id) => `/orders/${id}/events`);
    return paths;
  };

  async function assertHidden(path: (id: string) => string, id: string): Promise<void> {
    const theirs = await get(path(id), intruder.token);
    const nobodys = await get(path(randomUUID()), intruder.token);
    expect(theirs.status, theirs.text).to.equal(404);
    expect(visible(theirs), "another buyer's resource answers exactly like a random id").to.deep.equal(visible(nobodys));
    expect(visible(await get(path(id.toUpperCase()), intruder.token))).to.deep.equal(visible(nobodys));
  }

  it("when a buyer asks for another buyer's order right after its 202 and once it is settled, then 404 exactly as for a random id", async () => {
    for (const path of orderPaths()) await assertHidden(path, victimOrder);
    await waitFor("the order settled", async () => ["COMPLETED", "REJECTED"].includes((await get(`/orders/${victimOrder}/status`, victim.token)).body.status));
    for (const path of orderPaths()) await assertHidden(path, victimOrder);
    expect((await get(`/orders/${victimOrder}`, victim.token)).status, "the owner still reads it").to.equal(200);
  });

  it("when a buyer asks for another buyer's balance or ledger, then 404 exactly as for a random id", async () => {
    await assertHidden((id) => `/users/${id}/balance`, victim.id);
    await assertHidden((id) => `/users/${id}/ledger`, victim.id);
    await assertHidden((id) => `/users/${id}/ledger?limit=1`, victim.id);
  });

  it("when a buyer lists orders, then it never sees another buyer's, whatever filter it sends", async function () {
    if (!routesOf(stack()).some((r) => r.method === "GET" && r.path === "/orders")) this.skip();
    for (const q of ["", `?userId=${victim.id}`, `?userId=${victim.id.toUpperCase()}`]) {
      const a = await get(`/orders${q}`, intruder.token);
      if (a.status === 200) expect(a.body.data.map((o: { userId: string }) => o.userId).filter((u: string) => u !== intruder.id)).to.deep.equal([]);
      else expect(a.status, a.text).to.be.oneOf([400, 403]);
    }
  });

  it("when a buyer calls any operator route, even on itself, then 403 FORBIDDEN and nothing changes", async () => {
    const s = stack();
    const item = await makeItem(s, { stock: 5 });
    const before = { money: (await moneyOf(s, intruder.id)).ledger.length, item: await s.api.deps.db.item.findUniqueOrThrow({ where: { id: item.id } }) };
    const calls: [string, string, unknown][] = [
      ["POST", "/users", { email: `x-${randomUUID()}@test.flashsale`, role: "operator" }],
      ["POST", "/items", { name: "mine", price: 1, currency: "USD", stock: 1 }],
      ["POST", `/items/${item.id}/restock`, { quantity: 100 }],
      ["POST", `/users/${intruder.id}/balance/credit`, { amount: 1_000_000, currency: "USD" }],
      ["POST", `/users/${victim.id}/balance/debit`, { amount: 1, currency: "USD" }],
    ];
    const optional: [string, string, unknown][] = [
      ["POST", `/orders/${victimOrder}/refund`, undefined],
      ["GET", "/metrics", undefined],
      ["GET", "/metrics/prometheus", undefined],
    ];
    const served = routesOf(s).map((r) => `${r.method} ${r.path}`);
    for (const c of optional) if (served.includes(`${c[0]} ${c[1].replace(victimOrder, ":id")}`)) calls.push(c);
    for (const [method, path, body] of calls) {
      const headers: Record<string, string> = { authorization: `Bearer ${intruder.token}`, "content-type": "application/json" };
      const a = await send(s.url, { method, path, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      assertWellFormed(a, `${method} ${path}`);
      expect([a.status, a.body.code], `${method} ${path}`).to.deep.equal([403, "FORBIDDEN"]);
    }
    expect((await moneyOf(s, intruder.id)).ledger.length).to.equal(before.money);
    expect(await s.api.deps.db.item.findUniqueOrThrow({ where: { id: item.id } })).to.deep.equal(before.item);
  });
});

describe("authentication attacks: a valid token for a user the database does not know", function () {
  this.timeout(60_000);

  it("when it reads its own balance and ledger, then both are empty (200), and another user's are 404", async () => {
    const s = stack();
    const ghost = randomUUID();
    const token = issueToken(s.cfg.jwt, { id: ghost, role: "buyer" }).accessToken;
    expect((await get(`/users/${ghost}/balance`, token)).body).to.deep.equal({ userId: ghost, balances: [] });
    expect((await get(`/users/${ghost}/ledger`, token)).body).to.deep.equal({ data: [], nextCursor: null });
    expect((await get(`/users/${randomUUID()}/balance`, token)).status).to.equal(404);
  });

  it("when it orders, then the order is accepted (202) and settles REJECTED INSUFFICIENT_FUNDS, its unit released and nothing charged", async () => {
    const s = stack();
    const ghost = randomUUID();
    const token = issueToken(s.cfg.jwt, { id: ghost, role: "buyer" }).accessToken;
    const item = await makeItem(s, { stock: 1 });
    const placed = await order(s, token, item.id);
    expect(placed.status, placed.text).to.equal(202);
    const settled = await waitFor("a final status", async () => {
      const o = await get(`/orders/${placed.body.id}`, token);
      return ["COMPLETED", "REJECTED", "FAILED"].includes(o.body.status) && o.body;
    });
    expect(settled).to.include({ status: "REJECTED", reason: "INSUFFICIENT_FUNDS" });
    await waitFor("the unit back", async () => (await get(`/items/${item.id}`, token)).body.remaining === 1);
    expect((await moneyOf(s, ghost)).ledger).to.deep.equal([]);
  });
});
