--[[ finish-settle: a worker's one round trip after the database answered.
Records the order's final status in its record, gives its reserved units back when it did
not complete (exactly once per order, as release.lua does), forgets it in both open-order
sets and announces the status.
KEYS[1]  epoch key
KEYS[2]  order hash key
KEYS[3]  sorted set of PENDING orders   KEYS[4]  sorted set of PROCESSING orders
KEYS[4+2i-1], KEYS[4+2i]  line i's remaining counter and held hash (in the order's line order)
ARGV[1]  final status: COMPLETED | REJECTED | FAILED | REFUNDED
ARGV[2]  '1' to give the units back (REJECTED, FAILED)
ARGV[3]  order record TTL (s)
ARGV[4]  order id
ARGV[5]  the status channel   ARGV[6]  the announcement published there
Returns 1 when units were given back, else 0. An order reserved before Redis lost its state
(another epoch) gives nothing back: the rebuilt counters came from PostgreSQL and never
counted it.
]]
local released = 0
if ARGV[2] == '1' then
  local o = redis.call('HMGET', KEYS[2], 'userId', 'lines', 'released', 'epoch')
  if o[1] and not o[3] then
    redis.call('HSET', KEYS[2], 'released', '1')
    if redis.call('GET', KEYS[1]) == o[4] then
      local i = 0
      for line in string.gmatch(o[2], '[^;]+') do
        i = i + 1
        local _, _, qty = string.find(line, '^[^:]+:(%d+):')
        qty = tonumber(qty)
        redis.call('INCRBY', KEYS[4 + 2 * i - 1], qty)
        if redis.call('HINCRBY', KEYS[4 + 2 * i], o[1], -qty) <= 0 then
          redis.call('HDEL', KEYS[4 + 2 * i], o[1])
        end
      end
      released = 1
    end
  end
end
redis.call('HSET', KEYS[2], 'status', ARGV[1])
redis.call('EXPIRE', KEYS[2], tonumber(ARGV[3]))
redis.call('ZREM', KEYS[3], ARGV[4])
redis.call('ZREM', KEYS[4], ARGV[4])
redis.call('PUBLISH', ARGV[5], ARGV[6])
return released
