// Refusals made by the HTTP server itself, over raw sockets: each answers one problem document
// (HEAD: the head only) and then closes the connection; none is left silent.
import { expect } from "chai";
import net from "node:net";
import { createHmac } from "node:crypto";
import { stack } from "../support/hooks";
import { call } from "../support/http";
import { expectProblem } from "../support/problems";

/** Writes raw bytes, reads until the server closes (or the deadline fails the test). */
function exchange(port: number, bytes: string, deadlineMs = 5_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, "127.0.0.1");
    let out = Buffer.alloc(0);
    const t = setTimeout(() => (s.destroy(), reject(new Error(`connection still open after ${deadlineMs} ms; got ${out.toString("latin1").slice(0, 200)}`))), deadlineMs);
    s.on("data", (d) => (out = Buffer.concat([out, d])));
    s.on("error", () => undefined);
    s.on("close", () => (clearTimeout(t), resolve(out.toString("latin1"))));
    s.write(Buffer.from(bytes, "latin1"));
  });
}

function lastAnswer(raw: string): { status: number; type: string; body: string } {
  // The last status line (a detail may itself say "HTTP/1.1").
  const at = [...raw.matchAll(/(?:^|\r\n)HTTP\/1\.1 \d{3} /g)].pop()?.index ?? 0;
  raw = raw.slice(at).replace(/^\r\n/, "");
  const [head, body = ""] = raw.split("\r\n\r\n");
  return { status: Number(head!.slice(9, 12)), type: /\r\ncontent-type: ([^\r\n]*)/i.exec(head!)?.[1] ?? "", body };
}

function expectRawProblem(raw: string, status: number, opts: { head?: boolean } = {}): void {
  const a = lastAnswer(raw);
  expect(a.status, raw).to.equal(status);
  expect(a.type, raw).to.match(/^application\/problem\+json/);
  if (opts.head) return void expect(a.body, raw).to.equal("");
  expect(JSON.parse(a.body)).to.include({ status, code: a.status === 413 ? "PAYLOAD_TOO_LARGE" : "VALIDATION_FAILED" });
}

describe("server-level refusals on the wire", function () {
  this.timeout(60_000);
  const port = () => stack().api.port;
  const cases: [string, string, number, boolean][] = [
    ["an Expect other than 100-continue", "GET /healthz HTTP/1.1\r\nHost: x\r\nExpect: foo\r\n\r\n", 417, false],
    ["an Expect other than 100-continue on HEAD", "HEAD /healthz HTTP/1.1\r\nHost: x\r\nExpect: foo\r\n\r\n", 417, true],
    ["no Host on HTTP/1.1", "GET /healthz HTTP/1.1\r\n\r\n", 400, false],
    ["a raw non-ASCII byte in a HEAD's path", "HEAD /\xff HTTP/1.1\r\nHost: x\r\n\r\n", 400, true],
    ["headers over 16 KB on HEAD", `HEAD / HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`, 431, true],
    ["headers over 16 KB", `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`, 431, false],
    ["an upgrade with a body", "POST /orders HTTP/1.1\r\nHost: x\r\nConnection: upgrade\r\nUpgrade: foo\r\nContent-Length: 2\r\n\r\n{}", 400, false],
    ["an upgrade and a pipelined request", "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: upgrade\r\nUpgrade: h2c\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 400, false],
    ["CONNECT", "CONNECT x:1 HTTP/1.1\r\nHost: x\r\n\r\n", 400, false],
  ];
  for (const [what, bytes, status, head] of cases) {
    it(`when a request carries ${what}, then it is ${status} problem+json${head ? " without a body" : ""} and the connection closes`, async () => {
      expectRawProblem(await exchange(port(), bytes), status, { head });
    });
  }

  it("when a POST sends Expect: 100-continue and then an empty chunked body, then it is checked as a request without a body (400, not 415)", async () => {
    const raw = await exchange(port(), `POST /items HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${stack().operator}\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n`);
    expectRawProblem(raw, 400);
  });

  it("when a token is correctly signed but its payload is not a JSON object, then it is 401 UNAUTHENTICATED", async () => {
    const b64 = (s: string) => Buffer.from(s).toString("base64url");
    for (const payload of ["not json", '{"sub":', "null", "123", "[]", '"text"', ""]) {
      const signed = `${b64(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${b64(payload)}`;
      const token = `${signed}.${createHmac("sha256", stack().cfg.jwt.secret!).update(signed).digest("base64url")}`;
      expectProblem(await call(stack().url, "GET", "/orders", { token, checkSpec: false }), 401, "UNAUTHENTICATED");
    }
  });

  it("when GET /orders gets a from or to that is no instant in the years 1..9999, then it is 400 VALIDATION_FAILED", async () => {
    const bad = ["2024-01-01", "0", "yesterday", "2024-01-01T24:00:00Z", "%00", "2023-02-29T00:00:00Z", "9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00%2B01:00", "2024-01-01T00:00:00"];
    for (const v of bad) {
      for (const q of [`from=${v}`, `to=${v}`, `from=${v}&to=2024-01-01T00:00:00Z`, `from=2024-01-01T00:00:00Z&to=${v}`]) {
        expectProblem(await call(stack().url, "GET", `/orders?${q}`, { token: stack().operator, checkSpec: false }), 400, "VALIDATION_FAILED");
      }
    }
    expect((await call(stack().url, "GET", "/orders?from=0001-01-01T00:00:00Z&to=9999-12-31T23:59:59.999Z", { token: stack().operator })).status).to.equal(200);
  });
});
