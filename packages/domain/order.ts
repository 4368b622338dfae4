import type { OrderStatus } from "./status.ts";

export interface OrderLineView {
  itemId: string;
  quantity: number;
  price: number;
}

/** An order as the API shows it. */
export interface OrderView {
  id: string;
  userId: string;
  status: OrderStatus;
  reason?: string;
  items: OrderLineView[];
  total: number;
  currency: string;
  rewardPoints: number;
  createdAt: string;
  startedAt?: string;
  completedAt?: string;
}

/** The message the API queues and the worker settles; its id is the order id. */
export interface SettleCommand {
  orderId: string;
  userId: string;
  lines: OrderLineView[];
  total: number;
  currency: string;
  createdAt: string;
  idempotencyKey?: string;
}
