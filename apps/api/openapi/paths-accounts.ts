// Health, users, tokens and wallets.
import { bearer, body, json, locationHeader, param, problem, publicAccess, refusals } from "./responses.ts";

type Obj = Record<string, unknown>;

export const accountPaths: Record<string, Obj> = {
  "/healthz": {
    get: {
      tags: ["health"],
      operationId: "health",
      summary: "Liveness: 200 while the process runs",
      security: publicAccess,
      responses: { "200": json("The process runs", "Health"), "500": { $ref: "#/components/responses/Internal" } },
    },
  },
  "/readyz": {
    get: {
      tags: ["health"],
      operationId: "readiness",
      summary: "Readiness: 200 when PostgreSQL, Redis and RabbitMQ answer",
      security: publicAccess,
      responses: {
        "200": json("Every dependency answers", "Readiness"),
        "500": { $ref: "#/components/responses/Internal" },
        "503": problem("Some dependency does not answer; `unavailable` names them", ["UNAVAILABLE"], { schema: "ReadinessProblem" }),
      },
    },
  },
  "/users": {
    post: {
      tags: ["users"],
      operationId: "createUser",
      summary: "Create a user (operators)",
      security: bearer,
      parameters: [param("IdempotencyKey")],
      requestBody: body("NewUser"),
      responses: {
        "201": json("The user", "User", locationHeader("user")),
        ...refusals({ auth: "operator", body: true, idempotent: true }),
        "409": problem("The email is taken (case-insensitively)", ["EMAIL_TAKEN"]),
      },
    },
  },
  "/auth/token": {
    post: {
      tags: ["users"],
      operationId: "issueToken",
      summary: "Log in: a bearer token for an email and password",
      description: "Rate-limited per address. An unknown email, a user without a password and a wrong password all answer the same 401.",
      security: publicAccess,
      requestBody: body("Login"),
      responses: {
        "200": json("A bearer token", "Token"),
        ...refusals({ body: true, limited: true }),
        "401": problem("Email or password is wrong", ["INVALID_CREDENTIALS"]),
      },
    },
  },
  "/users/{id}/balance": {
    get: {
      tags: ["wallets"],
      operationId: "getBalance",
      summary: "A user's balance in every currency (self or operator)",
      description: "Reward points appear as currency `PTS`. Another buyer's balance is 404, as if the user did not exist.",
      security: bearer,
      parameters: [param("Id")],
      responses: {
        "200": json("The balances", "Balance"),
        ...refusals({ auth: "any" }),
        "404": problem("No such user (or another buyer's)", ["NOT_FOUND"]),
      },
    },
  },
  "/users/{id}/ledger": {
    get: {
      tags: ["wallets"],
      operationId: "listLedger",
      summary: "A user's ledger, newest first (self or operator)",
      description: "For every user and currency, the balance equals the sum of its ledger deltas.",
      security: bearer,
      parameters: [param("Id"), param("Limit"), param("Cursor")],
      responses: {
        "200": json("A page of ledger entries", "LedgerPage"),
        ...refusals({ auth: "any" }),
        "404": problem("No such user (or another buyer's)", ["NOT_FOUND"]),
      },
    },
  },
  "/users/{id}/balance/credit": { post: adjust("credit") },
  "/users/{id}/balance/debit": { post: adjust("debit") },
};

function adjust(direction: "credit" | "debit"): Obj {
  return {
    tags: ["wallets"],
    operationId: `${direction}Wallet`,
    summary: `${direction === "credit" ? "Add to" : "Take from"} a user's wallet (operators)`,
    description: `Writes a ${direction.toUpperCase()} ledger entry in the same transaction.`,
    security: bearer,
    parameters: [param("Id"), param("IdempotencyKey")],
    requestBody: body("WalletAdjustment"),
    responses: {
      "200": json("The new balance of that currency", "WalletBalance"),
      ...refusals({ auth: "operator", body: true, idempotent: true }),
      "404": problem("No such user", ["NOT_FOUND"]),
      ...(direction === "debit" ? { "409": problem("The balance would go below zero", ["INSUFFICIENT_FUNDS"]) } : {}),
    },
  };
}
