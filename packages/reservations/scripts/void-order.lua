--[[ void-order: the API gives back an order whose publish failed (or that was refused on
another slot), unless a worker holds it. Runs in the order's home slot.
KEYS[1]  the order's record
KEYS[2]  sorted set of PENDING orders   KEYS[3]  sorted set of PROCESSING orders (the record's tag)
KEYS[4+3i-3] .. KEYS[4+3i-1]  line i of the home slot: holds hash, remaining counter, held hash
ARGV[1]  order id
Returns 1 when the order was voided (its home lines given back), 0 when there was no record,
-1 when a worker already took the order (it stands: nothing changes).
]]
local s = redis.call('HGET', KEYS[1], 'status')
if s and s ~= 'PENDING' and s ~= 'VOID' then return -1 end
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
end_lines(4, ARGV[1], true)
if not s then return 0 end
redis.call('HSET', KEYS[1], 'status', 'VOID')
return 1
