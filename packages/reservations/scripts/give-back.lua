--[[ give-back (a prelude, prepended by scripts.ts to the scripts that end an order):
give_back(epoch_key, order_key, first) gives an order's reserved units back, exactly once
per order: line i's remaining counter and held hash are KEYS[first + 2i - 2] and
KEYS[first + 2i - 1], in the order's line order. Returns 1 when units came back, else 0
(no record, released already, or reserved before Redis lost its state: the rebuilt counters
came from PostgreSQL and never counted it).
]]
local function give_back(epoch_key, order_key, first)
  local o = redis.call('HMGET', order_key, 'userId', 'lines', 'released', 'epoch')
  if not o[1] or o[3] then return 0 end
  redis.call('HSET', order_key, 'released', '1')
  if redis.call('GET', epoch_key) ~= o[4] then return 0 end
  local i = 0
  for line in string.gmatch(o[2], '[^;]+') do
    local _, _, qty = string.find(line, '^[^:]+:(%d+):')
    qty = tonumber(qty)
    redis.call('INCRBY', KEYS[first + 2 * i], qty)
    if redis.call('HINCRBY', KEYS[first + 2 * i + 1], o[1], -qty) <= 0 then
      redis.call('HDEL', KEYS[first + 2 * i + 1], o[1])
    end
    i = i + 1
  end
  return 1
end
