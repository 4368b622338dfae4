--[[ void-order: the API gives back an order whose publish failed, unless a worker holds it.
KEYS[1]  epoch key
KEYS[2]  order hash key
KEYS[3]  idempotency key of the order (deleted, so a retry with that key can try again)
KEYS[4]  sorted set of PENDING orders   KEYS[5]  sorted set of PROCESSING orders
KEYS[5+2i-1], KEYS[5+2i]  line i's remaining counter and held hash (in the order's line order)
ARGV[1]  order id
Returns 1 when units were given back, 0 when there was no record (or nothing to give back),
-1 when a worker already took the order (it stands: nothing changes).
]]
local s = redis.call('HGET', KEYS[2], 'status')
if s and s ~= 'PENDING' then return -1 end
redis.call('ZREM', KEYS[4], ARGV[1])
redis.call('ZREM', KEYS[5], ARGV[1])
if not s then return 0 end
redis.call('HSET', KEYS[2], 'status', 'VOID')
redis.call('DEL', KEYS[3])
return give_back(KEYS[1], KEYS[2], 6)
