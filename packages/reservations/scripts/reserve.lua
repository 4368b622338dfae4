--[[ reserve: reserve every line of one order atomically, or nothing.
KEYS[1]  epoch key (missing => Redis lost its state; the gate rebuilds itself)
KEYS[2]  idempotency key of (user, Idempotency-Key), or a dummy key when none was sent
KEYS[3]  order hash key
KEYS[3+3i-2], KEYS[3+3i-1], KEYS[3+3i]  item i's meta hash, remaining counter, held hash
KEYS[#KEYS]  the sorted set of PENDING orders (GET /metrics counts it)
ARGV[1]  now (ms since epoch)
ARGV[2]  order id
ARGV[3]  user id
ARGV[4]  request hash ('' when no Idempotency-Key)
ARGV[5]  idempotency TTL (s)
ARGV[6]  order hash TTL (s)
ARGV[7]  Idempotency-Key ('' when none)
ARGV[7+2i-1], ARGV[7+2i]  item i's id and quantity
Returns:
  {'OK', currency, price_1, ..., price_n}
  {'DUPLICATE', orderId}            same key, same body: the first order
  {'IDEMPOTENCY_KEY_REUSED'}        same key, other body
  {'REHYDRATE'}                     no epoch
  {code, lineIndex}                 ITEM_NOT_FOUND | MIXED_CURRENCY | SALE_NOT_STARTED |
                                    SALE_ENDED | LIMIT_EXCEEDED | SOLD_OUT
Checks run rule by rule over all lines, in the contract's order.
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return {'REHYDRATE'} end

local now = tonumber(ARGV[1])
local user = ARGV[3]
local hasKey = ARGV[7] ~= ''

if hasKey then
  local seen = redis.call('GET', KEYS[2])
  if seen then
    local sep = string.find(seen, '|', 1, true)
    if string.sub(seen, sep + 1) == ARGV[4] then return {'DUPLICATE', string.sub(seen, 1, sep - 1)} end
    return {'IDEMPOTENCY_KEY_REUSED'}
  end
end

local n = (#KEYS - 4) / 3
local metas = {}
for i = 1, n do
  local m = redis.call('HMGET', KEYS[3 + 3 * i - 2], 'price', 'currency', 'startsAt', 'endsAt', 'maxPerUser')
  if not m[1] then return {'ITEM_NOT_FOUND', i} end
  metas[i] = m
end
for i = 2, n do
  if metas[i][2] ~= metas[1][2] then return {'MIXED_CURRENCY', i} end
end
for i = 1, n do
  if tonumber(metas[i][3]) > now then return {'SALE_NOT_STARTED', i} end
  local ends = tonumber(metas[i][4])
  if ends and ends <= now then return {'SALE_ENDED', i} end
end
local qty = {}
for i = 1, n do
  qty[i] = tonumber(ARGV[7 + 2 * i])
  local held = tonumber(redis.call('HGET', KEYS[3 + 3 * i], user) or '0')
  if held + qty[i] > tonumber(metas[i][5]) then return {'LIMIT_EXCEEDED', i} end
end
for i = 1, n do
  local left = tonumber(redis.call('GET', KEYS[3 + 3 * i - 1]) or '0')
  if left < qty[i] then return {'SOLD_OUT', i} end
end

local lines = {}
local out = {'OK', metas[1][2]}
for i = 1, n do
  redis.call('DECRBY', KEYS[3 + 3 * i - 1], qty[i])
  redis.call('HINCRBY', KEYS[3 + 3 * i], user, qty[i])
  lines[i] = ARGV[7 + 2 * i - 1] .. ':' .. qty[i] .. ':' .. metas[i][1]
  out[i + 2] = metas[i][1]
end

redis.call('HSET', KEYS[3], 'userId', user, 'status', 'PENDING', 'createdAt', ARGV[1],
  'currency', metas[1][2], 'lines', table.concat(lines, ';'), 'key', ARGV[7],
  'epoch', redis.call('GET', KEYS[1]))
redis.call('EXPIRE', KEYS[3], tonumber(ARGV[6]))
redis.call('ZADD', KEYS[#KEYS], ARGV[1], ARGV[2])
if hasKey then
  redis.call('SET', KEYS[2], ARGV[2] .. '|' .. ARGV[4], 'EX', tonumber(ARGV[5]))
end
return out
