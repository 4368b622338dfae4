--[[ begin-settle: a worker takes an order; refused if the API voided it.
KEYS[1]  order hash key
ARGV[1]  now (ms)
Returns 'OK' (now PROCESSING), 'VOID' (the API answered 503: drop the message),
'MISSING' (no record: Redis lost it; settle from the message alone), or the status it has.
]]
local s = redis.call('HGET', KEYS[1], 'status')
if not s then return 'MISSING' end
if s == 'VOID' then return 'VOID' end
if s == 'PENDING' then
  redis.call('HSET', KEYS[1], 'status', 'PROCESSING', 'startedAt', ARGV[1], 'queued', '1')
  return 'OK'
end
return s
