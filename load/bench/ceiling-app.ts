// The ceiling of the benchmark: a bare Express 5 app answering 202 with a small JSON body,
// run as its own process exactly like the API (tsx, same Node), on PORT.
import express from "express";

const app = express();
app.disable("x-powered-by");
app.set("etag", false);
app.post("/orders", (_req, res) => {
  res.status(202).json({ id: "00000000-0000-4000-8000-000000000000", status: "PENDING" });
});
app.get("/healthz", (_req, res) => {
  res.json({ status: "ok" });
});
const server = app.listen(Number(process.env.PORT ?? 3999), "127.0.0.1");
server.keepAliveTimeout = 65_000;
process.on("SIGTERM", () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
