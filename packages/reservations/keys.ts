/**
 * Every Redis key flashsale uses, in one place. All keys of one item share the hash tag
 * `{item:<id>}` so that a Redis Cluster keeps them on one shard.
 */
export function keys(prefix: string) {
  return {
    epoch: `${prefix}epoch`,
    rehydrateLock: `${prefix}rehydrate-lock`,
    itemMeta: (itemId: string) => `${prefix}{item:${itemId}}:meta`,
    itemRemaining: (itemId: string) => `${prefix}{item:${itemId}}:remaining`,
    itemHeld: (itemId: string) => `${prefix}{item:${itemId}}:held`,
    order: (orderId: string) => `${prefix}order:${orderId}`,
    idempotency: (userId: string, key: string) => `${prefix}idem:${userId}:${key}`,
    rateLimit: `${prefix}rl`,
    /** Everything under the prefix, for cleanup. */
    pattern: `${prefix}*`,
  };
}

export type Keys = ReturnType<typeof keys>;
