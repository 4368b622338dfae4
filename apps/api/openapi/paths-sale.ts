// Items and orders.
import { bearer, body, json, locationHeader, param, problem, publicAccess, refusals } from "./responses.ts";

type Obj = Record<string, unknown>;
const orderNotFound = problem("No such order, or another buyer's (the same answer)", ["ORDER_NOT_FOUND"]);

export const salePaths: Record<string, Obj> = {
  "/items": {
    get: {
      tags: ["items"],
      operationId: "listItems",
      summary: "Items on sale, newest first (public)",
      security: publicAccess,
      parameters: [param("Limit"), param("Cursor")],
      responses: { "200": json("A page of items; `remaining` and `state` live from Redis", "ItemPage"), ...refusals({}) },
    },
    post: {
      tags: ["items"],
      operationId: "createItem",
      summary: "Put an item on sale (operators)",
      security: bearer,
      parameters: [param("IdempotencyKey")],
      requestBody: body("NewItem"),
      responses: { "201": json("The item", "Item", locationHeader("item")), ...refusals({ auth: "operator", body: true, idempotent: true }) },
    },
  },
  "/items/{id}": {
    get: {
      tags: ["items"],
      operationId: "getItem",
      summary: "One item (public)",
      security: publicAccess,
      parameters: [param("Id")],
      responses: { "200": json("The item", "Item"), ...refusals({}), "404": problem("No such item", ["ITEM_NOT_FOUND"]) },
    },
  },
  "/items/{id}/restock": {
    post: {
      tags: ["items"],
      operationId: "restockItem",
      summary: "Add units to an item's stock and remaining (operators)",
      security: bearer,
      parameters: [param("Id"), param("IdempotencyKey")],
      requestBody: body("Restock"),
      responses: {
        "200": json("The item after the restock", "Item"),
        ...refusals({ auth: "operator", body: true, idempotent: true }),
        "404": problem("No such item", ["ITEM_NOT_FOUND"]),
      },
    },
  },
  "/orders": {
    post: {
      tags: ["orders"],
      operationId: "placeOrder",
      summary: "Place an order (buyers)",
      description:
        "202: every line's units are reserved and the order is durably queued; it then settles to COMPLETED, REJECTED or FAILED. " +
        "Every line is checked atomically together: sale open, enough units, the buyer's units of the item within maxPerUser. " +
        "A request not answered 202 reserved nothing and charged nothing.",
      security: bearer,
      parameters: [param("IdempotencyKey")],
      requestBody: body("PlaceOrder"),
      responses: {
        "202": json("Reserved and queued; the order is PENDING", "Order", locationHeader("order"), { properties: { status: { const: "PENDING" } } }),
        ...refusals({ auth: "buyer", body: true, idempotent: true, limited: true }),
        "400": problem("The body's shape is wrong, or its items are priced in different currencies", ["VALIDATION_FAILED", "MIXED_CURRENCY"]),
        "404": problem("An item of the order does not exist", ["ITEM_NOT_FOUND"]),
        "409": problem(
          "The business rules, checked in this order: the sale window, the buyer's limit, the units left; or a repeat of an Idempotency-Key whose first request is still being processed",
          ["SALE_NOT_STARTED", "SALE_ENDED", "LIMIT_EXCEEDED", "SOLD_OUT", "IDEMPOTENCY_KEY_IN_USE"],
        ),
      },
    },
    get: {
      tags: ["orders"],
      operationId: "listOrders",
      summary: "Order history, newest first; a buyer sees only its own",
      description: "Lists orders a worker has settled. A query parameter not listed here is 400.",
      security: bearer,
      parameters: ["OrderStatusFilter", "ItemIdFilter", "UserIdFilter", "From", "To", "Limit", "Cursor"].map(param),
      responses: { "200": json("A page of orders", "OrderPage"), ...refusals({ auth: "any" }) },
    },
  },
  "/orders/{id}": {
    get: {
      tags: ["orders"],
      operationId: "getOrder",
      summary: "One order (its buyer or an operator); PENDING right after its 202, never 404",
      security: bearer,
      parameters: [param("Id")],
      responses: { "200": json("The order", "Order"), ...refusals({ auth: "any" }), "404": orderNotFound },
    },
  },
  "/orders/{id}/status": {
    get: {
      tags: ["orders"],
      operationId: "getOrderStatus",
      summary: "An order's status alone",
      security: bearer,
      parameters: [param("Id")],
      responses: { "200": json("The status", "OrderStatusOnly"), ...refusals({ auth: "any" }), "404": orderNotFound },
    },
  },
  "/orders/{id}/events": {
    get: {
      tags: ["orders"],
      operationId: "orderEvents",
      summary: "Server-Sent Events of one order's status",
      description:
        "One `status` event with the order at once (`data`: an Order as JSON, `id`: its status), then one per change; " +
        "the stream closes after COMPLETED, REJECTED or FAILED. Comment lines (`: heartbeat`) keep it open.",
      security: bearer,
      parameters: [param("Id")],
      responses: {
        "200": {
          description: "The event stream",
          content: {
            "text/event-stream": {
              schema: { type: "string", description: "events `status` whose `data` is an Order" },
              "x-event-data": { status: { $ref: "#/components/schemas/Order" } },
            },
          },
        },
        ...refusals({ auth: "any" }),
        "404": orderNotFound,
      },
    },
  },
  "/orders/{id}/refund": {
    post: {
      tags: ["orders"],
      operationId: "refundOrder",
      summary: "Refund a COMPLETED order (operators)",
      description:
        "In one transaction the units return to stock and to the buyer's allowance, the price to the wallet (REFUND) and the reward points are taken back. Concurrent refunds refund once.",
      security: bearer,
      parameters: [param("Id"), param("IdempotencyKey")],
      requestBody: body("RefundRequest", false),
      responses: {
        "200": json("The order, now REFUNDED", "Order", {}, { properties: { status: { const: "REFUNDED" } } }),
        ...refusals({ auth: "operator", body: true, idempotent: true }),
        "404": problem("No such order", ["ORDER_NOT_FOUND"]),
        "409": problem("The order is not COMPLETED (or already refunded), or the buyer has spent the reward points", ["NOT_REFUNDABLE", "INSUFFICIENT_FUNDS"]),
      },
    },
  },
};
