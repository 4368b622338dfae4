// Metrics, the dashboard and this document.
import { bearer, json, problem, publicAccess, refusals } from "./responses.ts";

type Obj = Record<string, unknown>;
const internal = { "500": { $ref: "#/components/responses/Internal" } };
const text = (description: string, type: string, extra: Obj = {}): Obj => ({ description, content: { [type]: { schema: { type: "string" }, ...extra } } });
const files = (types: string[]): Obj => Object.fromEntries(types.map((t) => [t, { schema: { type: "string" } }]));

/** A file served from disk (the page and its assets): ranges and conditional GETs are honoured. */
function fileResponses(types: string[]): Obj {
  return {
    "200": { description: "The file", content: files(types) },
    "206": {
      description: "The part of the file a `Range` header asked for",
      headers: { "Content-Range": { required: true, schema: { type: "string", pattern: "^bytes \\d+-\\d+/\\d+$" } } },
      content: files(types),
    },
    "304": { description: "Not modified since the copy the client holds (`If-Modified-Since`, `If-None-Match`)" },
    "400": problem("A `Range` that cannot be satisfied, or a failed precondition (`If-Match`, `If-Unmodified-Since`)", ["VALIDATION_FAILED"]),
    ...internal,
  };
}

export const opsPaths: Record<string, Obj> = {
  "/metrics": {
    get: {
      tags: ["metrics"],
      operationId: "metrics",
      summary: "Order counts, processing time and queue (operators)",
      description: "Cheap at any table size. PENDING and PROCESSING come from Redis, the queue from the broker; each is null while its source does not answer.",
      security: bearer,
      responses: { "200": json("The metrics", "Metrics"), ...refusals({ auth: "operator", shape: false }) },
    },
  },
  "/metrics/prometheus": {
    get: {
      tags: ["metrics"],
      operationId: "prometheusMetrics",
      summary: "Prometheus text exposition (operators)",
      description: "Request counts and latency histograms by route and status, orders by outcome, queue depth, reservation results.",
      security: bearer,
      responses: { "200": text("Prometheus text format 0.0.4", "text/plain"), ...refusals({ auth: "operator", shape: false }) },
    },
  },
  "/openapi.json": {
    get: {
      tags: ["documents"],
      operationId: "openapi",
      summary: "This document (public)",
      security: publicAccess,
      responses: { "200": json("The OpenAPI 3.1 description of every endpoint", "OpenApiDocument"), ...internal },
    },
  },
  "/dashboard": {
    get: {
      tags: ["documents"],
      operationId: "dashboard",
      summary: "The operators' web page (public; its data needs an operator token)",
      security: publicAccess,
      responses: fileResponses(["text/html"]),
    },
  },
  "/dashboard/events": {
    get: {
      tags: ["documents"],
      operationId: "dashboardEvents",
      summary: "Server-Sent Events of the sale for the dashboard (operators)",
      description:
        "A `history` event with the recent per-second points at once, then a `snapshot` event every second (the GET /metrics numbers and every item's live view). " +
        "Comment lines (`: heartbeat`) keep it open; it ends when the API stops.",
      security: bearer,
      responses: {
        "200": text("The event stream", "text/event-stream", { "x-event-data": { history: { type: "object" }, snapshot: { type: "object" } } }),
        ...refusals({ auth: "operator", shape: false, deps: false }),
      },
    },
  },
  "/dashboard/{asset}": {
    get: {
      tags: ["documents"],
      operationId: "dashboardAsset",
      summary: "The page's scripts and stylesheet (public)",
      security: publicAccess,
      parameters: [{ name: "asset", in: "path", required: true, schema: { type: "string", examples: ["app.js", "styles.css"] }, description: "a file name of the page's assets" }],
      responses: { ...fileResponses(["text/javascript", "text/css", "text/html"]), "404": { $ref: "#/components/responses/NoSuchEndpoint" } },
    },
  },
};
