--[[ begin-settle: a worker takes an order; refused if the API voided it. Runs in the order's slot.
KEYS[1]  the order's record
KEYS[2]  sorted set of PENDING orders   KEYS[3]  sorted set of PROCESSING orders (the record's tag)
ARGV[1]  now (ms)
ARGV[2]  order id
ARGV[3]  the order's status channel (sharded, same slot)   ARGV[4]  the announcement published there
Returns 'OK' (now PROCESSING), 'VOID' (the API answered 503: drop the message),
'MISSING' (no record: Redis lost it; settle from the message alone), or the status it has.
]]
local s = redis.call('HGET', KEYS[1], 'status')
if not s then return 'MISSING' end
if s == 'VOID' then return 'VOID' end
if s == 'PENDING' then
  redis.call('HSET', KEYS[1], 'status', 'PROCESSING', 'startedAt', ARGV[1], 'queued', '1')
  redis.call('ZREM', KEYS[2], ARGV[2])
  redis.call('ZADD', KEYS[3], ARGV[1], ARGV[2])
  redis.call('SPUBLISH', ARGV[3], ARGV[4])
  return 'OK'
end
return s
