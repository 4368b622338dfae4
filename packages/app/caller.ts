import { AppError } from "@flashsale/domain";

/** Who asks: the subject and role of a verified token. */
export interface Caller {
  sub: string;
  role: "buyer" | "operator";
}

/** The buyer acts only as itself: another user's resource is 404, as if it did not exist. */
export function assertSelfOrOperator(caller: Caller | undefined, userId: string, code: "NOT_FOUND" | "ORDER_NOT_FOUND" = "NOT_FOUND"): void {
  if (caller?.role === "operator") return;
  // Word for word what a missing order says: a different detail would leak that it exists.
  if (!caller || caller.sub !== userId.toLowerCase()) throw new AppError(code, code === "ORDER_NOT_FOUND" ? "no such order" : "not found");
}
