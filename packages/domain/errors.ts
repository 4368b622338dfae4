/** Every stable error code of the contract; clients match on these strings. */
export const ERROR_CODES = [
  "VALIDATION_FAILED",
  "MIXED_CURRENCY",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "ITEM_NOT_FOUND",
  "ORDER_NOT_FOUND",
  "EMAIL_TAKEN",
  "INVALID_CREDENTIALS",
  "SOLD_OUT",
  "LIMIT_EXCEEDED",
  "SALE_NOT_STARTED",
  "SALE_ENDED",
  "INSUFFICIENT_FUNDS",
  "IDEMPOTENCY_KEY_REUSED",
  "IDEMPOTENCY_KEY_IN_USE",
  "NOT_REFUNDABLE",
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
  "RATE_LIMITED",
  "UNAVAILABLE",
  "INTERNAL",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldIssue {
  path: string;
  message: string;
}

/** A refusal with a contract code; carries no HTTP status (the API maps codes to statuses). */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: { issues?: FieldIssue[]; retryAfterSeconds?: number } = {},
  ) {
    // A refusal is an answer, not a fault: no stack trace is captured (the sold-out path
    // throws one per refused buyer, and capturing the stack was a visible share of its CPU).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = "AppError";
  }
}

/** True for anything carrying a contract code, even an error that crossed a process boundary. */
export function isAppError(err: unknown): err is AppError {
  return (
    typeof err === "object" &&
    err !== null &&
    typeof (err as { code?: unknown }).code === "string" &&
    (ERROR_CODES as readonly string[]).includes((err as { code: string }).code)
  );
}
