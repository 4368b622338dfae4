--[[ refund: give a refunded order's units and the buyer's allowance back, once per order and
line, for the lines of one slot.
KEYS[4i-3] .. KEYS[4i]  line i: the item's epoch, the order's refund marker for the item,
                        remaining counter, held hash
ARGV[1]  the buyer's user id
ARGV[2]  marker TTL (s)
ARGV[3+2i-2], ARGV[3+2i-1]  line i: the item's epoch read before the refund committed in
         PostgreSQL, and the quantity
Returns {given, done, rebuilt}: how many lines were given back now, had been given back
already, or were skipped because the item was rebuilt since (or has no epoch): a rebuild
reads PostgreSQL, so it counts the refund already or will at the next rebuild; adding it here
could count it twice.
]]
local given, done, rebuilt = 0, 0, 0
for i = 1, #KEYS / 4 do
  local epoch, marker, remaining, held = KEYS[4 * i - 3], KEYS[4 * i - 2], KEYS[4 * i - 1], KEYS[4 * i]
  local qty = tonumber(ARGV[3 + 2 * i - 1])
  if redis.call('GET', epoch) ~= ARGV[3 + 2 * i - 2] then
    rebuilt = rebuilt + 1
  elseif redis.call('SET', marker, '1', 'NX', 'EX', tonumber(ARGV[2])) == false then
    done = done + 1
  else
    redis.call('INCRBY', remaining, qty)
    if redis.call('HINCRBY', held, ARGV[1], -qty) <= 0 then redis.call('HDEL', held, ARGV[1]) end
    given = given + 1
  end
end
return {given, done, rebuilt}
