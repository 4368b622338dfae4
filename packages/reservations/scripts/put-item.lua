--[[ put-item: make an item known to the gate (after it was created in PostgreSQL).
KEYS[1]  epoch key   KEYS[2]  item meta hash   KEYS[3]  item remaining counter
ARGV     price, currency, startsAt (ms), endsAt (ms, '' = never), maxPerUser, stock, remaining
Returns 1, or 0 when Redis has no epoch (the next rebuild loads the item from PostgreSQL).
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[2], 'price', ARGV[1], 'currency', ARGV[2], 'startsAt', ARGV[3],
  'endsAt', ARGV[4], 'maxPerUser', ARGV[5], 'stock', ARGV[6])
redis.call('SET', KEYS[3], ARGV[7])
return 1
