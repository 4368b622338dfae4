/**
 * Every Redis key flashsale uses, in one place. All keys of one item share the hash tag
 * `{item:<id>}` so that a Redis Cluster keeps them on one shard.
 */
export function keys(prefix: string) {
  return {
    epoch: `${prefix}epoch`,
    rebuildLock: `${prefix}rebuild-lock`,
    itemMeta: (itemId: string) => `${prefix}{item:${itemId}}:meta`,
    itemRemaining: (itemId: string) => `${prefix}{item:${itemId}}:remaining`,
    itemHeld: (itemId: string) => `${prefix}{item:${itemId}}:held`,
    order: (orderId: string) => `${prefix}order:${orderId}`,
    idempotency: (userId: string, key: string) => `${prefix}idem:${userId}:${key}`,
    /** rate-limiter-flexible's key prefix for one limit: `scope` (orders, login) and what it counts (user, ip, email). */
    rateLimit: (scope: string, kind: string) => `${prefix}rl:${scope}:${kind}`,
    /** The pub/sub channel on which scripts announce order status changes (and units coming back). */
    statusChannel: `${prefix}order-status`,
    /** Orders reserved and not yet taken by a worker: a sorted set scored by createdAt (ms). */
    ordersPending: `${prefix}orders:pending`,
    /** Orders a worker has taken and not yet finished: a sorted set scored by startedAt (ms). */
    ordersProcessing: `${prefix}orders:processing`,
    /** Set once an order's refund has been given back to the gate (refund.lua). */
    refunded: (orderId: string) => `${prefix}refunded:${orderId}`,
    /** Everything under the prefix, for cleanup. */
    pattern: `${prefix}*`,
  };
}

export type Keys = ReturnType<typeof keys>;
