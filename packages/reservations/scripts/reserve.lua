--[[ reserve: reserve every line of one slot's group of an order atomically, or none of them.
KEYS[1]  the order's record (written only when ARGV[5] is '1': this group holds the home item)
KEYS[2]  the sorted set of PENDING orders of the record's tag (GET /metrics counts it)
KEYS[2+5i-4] .. KEYS[2+5i]  line i's item: epoch, meta hash, remaining counter, held hash, holds hash
ARGV[1]  now (ms since epoch)
ARGV[2]  order id
ARGV[3]  user id
ARGV[4]  order record TTL (s)
ARGV[5]  '1' when this group is the order's home (writes the record), else '0'
ARGV[6]  Idempotency-Key ('' when none; kept in the record)
ARGV[6+2i-1], ARGV[6+2i]  line i's item id and quantity
Returns:
  {'OK', currency, price_1, ..., price_n}
  {'REHYDRATE', i}                  line i's item has no epoch: its shard lost its state
  {code, i, currency}               ITEM_NOT_FOUND | MIXED_CURRENCY | SALE_NOT_STARTED |
                                    SALE_ENDED | LIMIT_EXCEEDED | SOLD_OUT (currency of the
                                    group's items, '' when one is unknown)
Checks run rule by rule over all lines, in the contract's order.
]]
local n = (#KEYS - 2) / 5
local function key(i, k) return KEYS[2 + 5 * (i - 1) + k] end

for i = 1, n do
  if redis.call('EXISTS', key(i, 1)) == 0 then return {'REHYDRATE', i} end
end

local now = tonumber(ARGV[1])
local user = ARGV[3]
local metas = {}
for i = 1, n do
  local m = redis.call('HMGET', key(i, 2), 'price', 'currency', 'startsAt', 'endsAt', 'maxPerUser')
  if not m[1] then return {'ITEM_NOT_FOUND', i, ''} end
  metas[i] = m
end
local currency = metas[1][2]
for i = 2, n do
  if metas[i][2] ~= currency then return {'MIXED_CURRENCY', i, ''} end
end
for i = 1, n do
  if tonumber(metas[i][3]) > now then return {'SALE_NOT_STARTED', i, currency} end
  local ends = tonumber(metas[i][4])
  if ends and ends <= now then return {'SALE_ENDED', i, currency} end
end
local qty = {}
for i = 1, n do
  qty[i] = tonumber(ARGV[6 + 2 * i])
  local held = tonumber(redis.call('HGET', key(i, 4), user) or '0')
  if held + qty[i] > tonumber(metas[i][5]) then return {'LIMIT_EXCEEDED', i, currency} end
end
for i = 1, n do
  local left = tonumber(redis.call('GET', key(i, 3)) or '0')
  if left < qty[i] then return {'SOLD_OUT', i, currency} end
end

local lines = {}
local out = {'OK', currency}
for i = 1, n do
  redis.call('DECRBY', key(i, 3), qty[i])
  redis.call('HINCRBY', key(i, 4), user, qty[i])
  redis.call('HSET', key(i, 5), ARGV[2], user .. ':' .. qty[i])
  lines[i] = ARGV[6 + 2 * i - 1] .. ':' .. qty[i] .. ':' .. metas[i][1]
  out[i + 2] = metas[i][1]
end

if ARGV[5] == '1' then
  redis.call('HSET', KEYS[1], 'userId', user, 'status', 'PENDING', 'createdAt', ARGV[1],
    'currency', currency, 'lines', table.concat(lines, ';'), 'key', ARGV[6])
  redis.call('EXPIRE', KEYS[1], tonumber(ARGV[4]))
  redis.call('ZADD', KEYS[2], ARGV[1], ARGV[2])
end
return out
