import { orderTag } from "./slots.ts";

/**
 * Every Redis key flashsale uses, in one place. Each key carries a hash tag, so that every
 * script and MULTI touches one Redis Cluster slot:
 * - an item's keys share `{item:<id>}` (its epoch and rebuild lock too: a shard that lost its
 *   state is detected and rebuilt item by item, never globally);
 * - an order's record, the open-order sets it is counted in and its status channel share the
 *   tag minted into the order id's first characters (slots.ts), which is in the slot of the
 *   order's home item (its lowest item id), so the reserve script writes the record atomically;
 * - an Idempotency-Key is claimed under `{user:<id>}`, wherever the order's items live.
 */
export function keys(prefix: string) {
  const item = (id: string) => `${prefix}{item:${id.toLowerCase()}}`;
  const tagged = (tag: string) => `${prefix}{${tag}}`;
  return {
    /** The item's rebuild token: missing means the shard lost the item's state (or never had it). */
    itemEpoch: (itemId: string) => `${item(itemId)}:epoch`,
    itemRebuildLock: (itemId: string) => `${item(itemId)}:rebuild-lock`,
    itemMeta: (itemId: string) => `${item(itemId)}:meta`,
    itemRemaining: (itemId: string) => `${item(itemId)}:remaining`,
    /** Units each buyer holds (settled and reserved): user id -> units. */
    itemHeld: (itemId: string) => `${item(itemId)}:held`,
    /** The item's open reservations, one field per order: order id -> "userId:quantity" (given back at most once). */
    itemHolds: (itemId: string) => `${item(itemId)}:holds`,
    /** Set once a refunded order's units of this item have been given back (refund.lua). */
    itemRefunded: (itemId: string, orderId: string) => `${item(itemId)}:refunded:${orderId.toLowerCase()}`,
    order: (orderId: string) => `${tagged(orderTag(orderId))}:order:${orderId.toLowerCase()}`,
    /** Orders reserved and not yet taken by a worker, per order tag: a sorted set scored by createdAt (ms). */
    ordersPending: (tag: string) => `${tagged(tag)}:orders:pending`,
    /** Orders a worker has taken and not yet finished, per order tag: a sorted set scored by startedAt (ms). */
    ordersProcessing: (tag: string) => `${tagged(tag)}:orders:processing`,
    /** The sharded pub/sub channel on which the scripts announce an order's status changes (SPUBLISH, in the order's slot). */
    statusChannel: (orderId: string) => `${tagged(orderTag(orderId))}:order-status`,
    /** The one broadcast channel on which processes say units came back (restock, refund, a released order): never on the accept path. */
    unitsBackChannel: `${prefix}units-back`,
    /** An Idempotency-Key of POST /orders, claimed per user: "orderId|requestHash". */
    idempotency: (userId: string, key: string) => `${prefix}{user:${userId}}:idem:${key}`,
    /** rate-limiter-flexible's key prefix for one limit: `scope` (orders, login) and what it counts (user, ip, email). */
    rateLimit: (scope: string, kind: string) => `${prefix}rl:${scope}:${kind}`,
    /** Everything under the prefix, for cleanup. */
    pattern: `${prefix}*`,
  };
}

export type Keys = ReturnType<typeof keys>;
