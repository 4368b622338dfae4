--[[ load-item: loads one item into the gate from PostgreSQL: a new item (mode 'put'), or an
item whose shard lost its state (mode 'rebuild'); each does nothing when the gate already has
the item (compare-and-set: a rebuild and a put racing write the item once).
KEYS[1]  epoch   KEYS[2]  meta hash   KEYS[3]  remaining counter   KEYS[4]  held hash   KEYS[5]  holds hash
ARGV[1]  mode: 'put' (skipped when the meta exists) | 'rebuild' (skipped when the epoch exists) |
         'absent' (rebuild of an id PostgreSQL does not know: an epoch alone, for ARGV[3] ms)
ARGV[2]  the new epoch token
ARGV[3]  absent: how long the gate remembers that the item does not exist (ms)
ARGV[4..10]  price, currency, startsAt (ms), endsAt (ms, '' = never), maxPerUser, stock, remaining
ARGV[11+2j-1], ARGV[11+2j]  holding j: user id, units (settled, from PostgreSQL)
Returns 1 when it loaded the item, 0 when the gate had it already.
]]
local mode = ARGV[1]
if mode == 'put' and redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
if mode ~= 'put' and redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if mode == 'absent' then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', tonumber(ARGV[3]))
  return 1
end
redis.call('DEL', KEYS[2], KEYS[4], KEYS[5])
redis.call('HSET', KEYS[2], 'price', ARGV[4], 'currency', ARGV[5], 'startsAt', ARGV[6],
  'endsAt', ARGV[7], 'maxPerUser', ARGV[8], 'stock', ARGV[9])
redis.call('SET', KEYS[3], ARGV[10])
for j = 11, #ARGV, 2 do
  redis.call('HSET', KEYS[4], ARGV[j], ARGV[j + 1])
end
redis.call('SET', KEYS[1], ARGV[2])
return 1
