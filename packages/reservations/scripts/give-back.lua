--[[ give-back (a prelude, prepended by scripts.ts to the scripts that end an order's lines):
end_line(holds, remaining, held, order_id, give) ends one line's reservation, exactly once:
the line's entry in the item's holds hash (order id -> "userId:quantity") is removed, and when
`give` is true its units go back to remaining and out of the buyer's held count. Returns 1
when units came back, else 0 (no entry: ended already, or the item was rebuilt from
PostgreSQL since, whose counters never counted this reservation).
end_lines(first, order_id, give) does it for the lines whose keys stand in KEYS from `first`
on, three a line (holds, remaining, held); returns how many lines gave units back.
]]
local function end_line(holds, remaining, held, order_id, give)
  local h = redis.call('HGET', holds, order_id)
  if not h then return 0 end
  redis.call('HDEL', holds, order_id)
  if not give then return 0 end
  local _, _, user, qty = string.find(h, '^(.*):(%d+)$')
  qty = tonumber(qty)
  redis.call('INCRBY', remaining, qty)
  if redis.call('HINCRBY', held, user, -qty) <= 0 then redis.call('HDEL', held, user) end
  return 1
end

local function end_lines(first, order_id, give)
  local back = 0
  for i = first, #KEYS, 3 do
    back = back + end_line(KEYS[i], KEYS[i + 1], KEYS[i + 2], order_id, give)
  end
  return back
end
