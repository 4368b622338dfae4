import { expect } from "chai";
import net from "node:net";
import { stack } from "../support/hooks";

/** Sends raw bytes and returns the whole answer (the server closes the connection). */
function raw(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, "127.0.0.1", () => sock.write(request));
    let out = "";
    sock.on("data", (d) => (out += d.toString("utf8")));
    sock.on("end", () => resolve(out));
    sock.on("error", reject);
  });
}

describe("requests the HTTP parser refuses", () => {
  it("when a header line is malformed, then 400 application/problem+json VALIDATION_FAILED", async () => {
    const out = await raw(stack().api.port, "GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n");
    expect(out).to.match(/^HTTP\/1\.1 400 /);
    expect(out).to.match(/content-type: application\/problem\+json/i);
    expect(JSON.parse(out.slice(out.indexOf("\r\n\r\n") + 4))).to.include({ status: 400, code: "VALIDATION_FAILED" });
  });

  it("when the headers are larger than 16 KB, then 431 application/problem+json", async () => {
    const out = await raw(stack().api.port, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`);
    expect(out).to.match(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(out.slice(out.indexOf("\r\n\r\n") + 4))).to.include({ status: 431, code: "VALIDATION_FAILED" });
  });
});
