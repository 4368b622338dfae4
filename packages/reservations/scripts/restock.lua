--[[ restock: add units to an item's stock and remaining in one step.
KEYS[1]  epoch key   KEYS[2]  item meta hash   KEYS[3]  item remaining counter
ARGV[1]  quantity
ARGV[2]  the status channel   ARGV[3]  the message announcing units back (API processes forget their refusals)
Returns the new remaining count, or -1 when Redis has no epoch or does not know the item.
]]
if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('EXISTS', KEYS[2]) == 0 then return -1 end
redis.call('HINCRBY', KEYS[2], 'stock', ARGV[1])
local left = redis.call('INCRBY', KEYS[3], ARGV[1])
redis.call('PUBLISH', ARGV[2], ARGV[3])
return left
