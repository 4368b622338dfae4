import { expect } from "chai";
import { ERROR_CODES } from "@flashsale/domain";
import type { Reply } from "./http";

// What must never reach a client: stack frames, SQL, driver and ORM internals.
const INTERNALS = /\bat [^\s]+ \(|\.ts:\d+|node_modules|prisma|\bSELECT\b|\bINSERT\b|\bUPDATE\b|ECONN|TypeError|SyntaxError|"stack"/i;

/** Asserts an RFC 9457 problem of the contract: this status, a listed code, no internals. */
export function expectProblem(r: Reply, status: number, code?: string): void {
  expect(r.status, r.text).to.equal(status);
  expect(r.headers.get("content-type") ?? "", r.text).to.match(/^application\/problem\+json\b/);
  expect(r.body, r.text).to.be.an("object");
  expect(r.body.status, r.text).to.equal(status);
  expect(ERROR_CODES as readonly string[], r.text).to.include(r.body.code);
  if (code) expect(r.body.code, r.text).to.equal(code);
  expect(r.body.type, r.text).to.be.a("string");
  expect(r.body.title, r.text).to.be.a("string");
  expect(r.body.detail, r.text).to.be.a("string");
  expect(r.text).not.to.match(INTERNALS);
}
