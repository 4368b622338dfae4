export { AppError, ERROR_CODES, isAppError, type ErrorCode, type FieldIssue } from "./errors.ts";
export {
  orderTotal,
  linePoints,
  rewardPoints,
  rateToPpm,
  ppmToRate,
  POINTS_CURRENCY,
  PPM,
  type PricedLine,
} from "./money.ts";
export {
  ORDER_STATUSES,
  TERMINAL_STATUSES,
  REJECTION_REASONS,
  isTerminal,
  itemState,
  type OrderStatus,
  type RejectionReason,
  type ItemState,
} from "./status.ts";
export type { OrderView, OrderLineView, SettleCommand } from "./order.ts";
