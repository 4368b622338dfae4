import { AppError } from "./errors.ts";

export interface PricedLine {
  itemId: string;
  quantity: number;
  price: number;
  currency: string;
  rewardPpm?: number;
}

export const POINTS_CURRENCY = "PTS";
export const PPM = 1_000_000;

/** The sum of price × quantity in minor units; exact because every operand is a safe integer. */
export function orderTotal(lines: readonly Pick<PricedLine, "quantity" | "price">[]): number {
  const total = lines.reduce((sum, l) => sum + BigInt(l.price) * BigInt(l.quantity), 0n);
  if (total > BigInt(Number.MAX_SAFE_INTEGER)) throw new AppError("VALIDATION_FAILED", "order total is too large");
  return Number(total);
}

/** Reward points of one line: the share of its price, rounded down, in integer arithmetic. */
export function linePoints(line: Pick<PricedLine, "quantity" | "price" | "rewardPpm">): number {
  const ppm = BigInt(line.rewardPpm ?? 0);
  return Number((BigInt(line.price) * BigInt(line.quantity) * ppm) / BigInt(PPM));
}

/** Reward points of an order: each line rounded down on its own, then added. */
export function rewardPoints(lines: readonly Pick<PricedLine, "quantity" | "price" | "rewardPpm">[]): number {
  return lines.reduce((sum, l) => sum + linePoints(l), 0);
}

/** A reward rate in 0..1 as integer parts per million (the stored form). */
export function rateToPpm(rate: number): number {
  return Math.round(rate * PPM);
}

export function ppmToRate(ppm: number): number {
  return ppm / PPM;
}
