--[[ release: give an order's reserved units back, exactly once per order.
KEYS[1]  epoch key
KEYS[2]  order hash key
KEYS[3]  idempotency key of the order (deleted when voiding, so a retry can try again)
KEYS[3+2i-1], KEYS[3+2i]  line i's remaining counter and held hash (in the order's line order)
ARGV[1]  final status to record: REJECTED | FAILED | VOID | REFUNDED
ARGV[2]  'void-only-if-pending' = 1 to refuse once a worker has taken the order
Returns 1 when units were given back, 0 when already released or unknown,
-1 when a void was refused because a worker already holds the order.
An order reserved before Redis lost its state (another epoch) is not released: the
rebuilt counters came from PostgreSQL and never counted it.
]]
local o = redis.call('HMGET', KEYS[2], 'userId', 'status', 'lines', 'released', 'epoch')
if not o[1] then return 0 end
if ARGV[2] == '1' and o[2] ~= 'PENDING' then return -1 end
if o[4] then return 0 end
redis.call('HSET', KEYS[2], 'released', '1', 'status', ARGV[1])
if ARGV[1] == 'VOID' then redis.call('DEL', KEYS[3]) end
if redis.call('GET', KEYS[1]) ~= o[5] then return 0 end
local i = 0
for line in string.gmatch(o[3], '[^;]+') do
  i = i + 1
  local _, _, qty = string.find(line, '^[^:]+:(%d+):')
  qty = tonumber(qty)
  redis.call('INCRBY', KEYS[3 + 2 * i - 1], qty)
  if redis.call('HINCRBY', KEYS[3 + 2 * i], o[1], -qty) <= 0 then
    redis.call('HDEL', KEYS[3 + 2 * i], o[1])
  end
end
return 1
