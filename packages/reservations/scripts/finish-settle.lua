--[[ finish-settle: a worker's one round trip after the database answered.
Records the order's final status in its record, gives its reserved units back when it did
not complete (give_back, once per order), forgets it in both open-order sets and announces
the status.
KEYS[1]  epoch key
KEYS[2]  order hash key
KEYS[3]  sorted set of PENDING orders   KEYS[4]  sorted set of PROCESSING orders
KEYS[4+2i-1], KEYS[4+2i]  line i's remaining counter and held hash (in the order's line order)
ARGV[1]  final status: COMPLETED | REJECTED | FAILED | REFUNDED
ARGV[2]  '1' to give the units back (REJECTED, FAILED)
ARGV[3]  order record TTL (s)
ARGV[4]  order id
ARGV[5]  the status channel   ARGV[6]  the announcement published there
Returns 1 when units were given back, else 0.
]]
local released = 0
if ARGV[2] == '1' then released = give_back(KEYS[1], KEYS[2], 5) end
redis.call('HSET', KEYS[2], 'status', ARGV[1])
redis.call('EXPIRE', KEYS[2], tonumber(ARGV[3]))
redis.call('ZREM', KEYS[3], ARGV[4])
redis.call('ZREM', KEYS[4], ARGV[4])
redis.call('PUBLISH', ARGV[5], ARGV[6])
return released
