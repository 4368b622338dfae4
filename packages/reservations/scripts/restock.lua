--[[ restock: add units to an item's stock and remaining in one step.
KEYS[1]  epoch key   KEYS[2]  item meta hash   KEYS[3]  item remaining counter
ARGV[1]  quantity
Returns the new remaining count, or -1 when the gate does not have the item (its next load
reads the restocked stock from PostgreSQL).
]]
if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('EXISTS', KEYS[2]) == 0 then return -1 end
redis.call('HINCRBY', KEYS[2], 'stock', ARGV[1])
return redis.call('INCRBY', KEYS[3], ARGV[1])
