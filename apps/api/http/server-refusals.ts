// Requests Node's HTTP server turns away before Express sees them. Left to Node, each got a
// bare status with an empty body (417 for an unknown Expect, 400 for a missing Host), a body
// after a HEAD, or silence (an upgrade: what followed it on the connection was never read).
// Here each is a problem document of problem.ts, and its connection is closed.
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { RequestHandler } from "express";
import { AppError } from "@flashsale/domain";
import { rawProblem, writeProblem } from "./problem.ts";

const refused = (why: string) => new AppError("VALIDATION_FAILED", why);

/** The parser's error codes with a status of their own; any other parse error is 400. */
const PARSER_STATUS: Record<string, [number, AppError]> = {
  HPE_HEADER_OVERFLOW: [431, refused("the request headers are too large")],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, new AppError("PAYLOAD_TOO_LARGE", "the chunk extensions are too large")],
  ERR_HTTP_REQUEST_TIMEOUT: [408, refused("the request did not arrive in time")],
};

/** Installs the refusals on the API's server (created with `requireHostHeader: false`, see requireHost). */
export function refuseAtServer(server: Server): void {
  server.on("clientError", answerClientError);
  server.on("checkExpectation", (req: IncomingMessage, res: ServerResponse) => {
    writeProblem(res, refused("the only expectation this API meets is Expect: 100-continue"), 417);
  });
  // flashsale speaks no other protocol: an upgrade (WebSocket, h2c) is refused, and so is
  // CONNECT. Without a listener Node read nothing after such a request's headers.
  const refuseUpgrade = (req: IncomingMessage, socket: Duplex) => {
    answerAndClose(socket, rawProblem(refused(`this API does not ${req.method === "CONNECT" ? "tunnel (CONNECT)" : "upgrade connections"}`), { head: req.method === "HEAD" }));
  };
  server.on("upgrade", refuseUpgrade);
  server.on("connect", refuseUpgrade);
}

/**
 * HTTP/1.1 requires Host (RFC 9112 §3.2). Node's own check answered a bare 400; it is off at
 * the server so that this one, the first middleware, answers a problem document instead.
 */
export const requireHost: RequestHandler = (req, res, next) => {
  if (req.httpVersion !== "1.0" && req.headers.host === undefined) {
    res.set("Connection", "close");
    throw refused("an HTTP/1.1 request needs a Host header");
  }
  next();
};

function answerClientError(err: NodeJS.ErrnoException & { rawPacket?: Buffer; bytesParsed?: number }, socket: Duplex): void {
  const inFlight = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  // A reset peer, or a response already half written on this connection: nothing can be answered.
  if (!socket.writable || inFlight?.headersSent || (err.code === "ECONNRESET" && !socket.readable)) return void socket.destroy();
  const [status, problem] = PARSER_STATUS[err.code ?? ""] ?? [400, refused("the request could not be parsed")];
  answerAndClose(socket, rawProblem(problem, { status, head: methodOf(err) === "HEAD" }));
}

/**
 * The method of the request the parser refused, read from the bytes it was parsing: the last
 * line up to the error that starts like a request line. Unknown (the request line came in an
 * earlier packet) counts as not HEAD.
 */
function methodOf(err: { rawPacket?: Buffer; bytesParsed?: number }): string | undefined {
  if (!err.rawPacket) return undefined;
  const seen = err.rawPacket.subarray(0, (err.bytesParsed ?? err.rawPacket.length) + 1).toString("latin1");
  const lines = seen.split("\n");
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = /^\r?([A-Z]+) /.exec(lines[i]!);
    if (m) return m[1];
  }
  return undefined;
}

/**
 * Answers, then closes once the client has had the answer. What the client still sends is read
 * and dropped, so that closing does not reset the connection under the answer; a client that
 * keeps sending is cut off after a few seconds.
 */
function answerAndClose(socket: Duplex, answer: string): void {
  socket.end(answer);
  socket.on("error", () => socket.destroy());
  socket.resume();
  const cutOff = setTimeout(() => socket.destroy(), 5_000);
  cutOff.unref();
  socket.once("close", () => clearTimeout(cutOff));
}
