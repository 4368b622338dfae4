--[[ refund: give a refunded order's units and the buyer's allowance back, once per order.
KEYS[1]  epoch key
KEYS[2]  the order's refund marker
KEYS[3]  the order hash key (may have expired)
KEYS[3+2i-1], KEYS[3+2i]  line i's remaining counter and held hash
ARGV[1]  the epoch read before the refund committed in PostgreSQL
ARGV[2]  the buyer's user id
ARGV[3]  marker TTL (s)
ARGV[4]  the status channel   ARGV[5]  the message announcing units back (API processes forget their refusals)
ARGV[5+i]  line i's quantity
Returns 1 when the units were given back, 0 when this order's refund was given back already,
-1 when the gate has no epoch or was rebuilt since ARGV[1]: a rebuild reads PostgreSQL, so
it counts the refund already or will at the next rebuild; adding it here could count it twice.
]]
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
if redis.call('SET', KEYS[2], '1', 'NX', 'EX', tonumber(ARGV[3])) == false then return 0 end
local user = ARGV[2]
for i = 1, (#KEYS - 3) / 2 do
  local qty = tonumber(ARGV[5 + i])
  redis.call('INCRBY', KEYS[3 + 2 * i - 1], qty)
  if redis.call('HINCRBY', KEYS[3 + 2 * i], user, -qty) <= 0 then
    redis.call('HDEL', KEYS[3 + 2 * i], user)
  end
end
-- A later release of this order (a late retry) must not give the units back a second time.
if redis.call('EXISTS', KEYS[3]) == 1 then
  redis.call('HSET', KEYS[3], 'released', '1', 'status', 'REFUNDED')
end
redis.call('PUBLISH', ARGV[4], ARGV[5])
return 1
