--[[ finish-settle: a worker's round trip to the order's home slot after the database answered.
Records the order's final status, ends the home slot's line reservations (units given back
when the order did not complete, once per line), forgets the order in both open-order sets
and announces the status.
KEYS[1]  the order's record
KEYS[2]  sorted set of PENDING orders   KEYS[3]  sorted set of PROCESSING orders (the record's tag)
KEYS[4+3i-3] .. KEYS[4+3i-1]  line i of the home slot: holds hash, remaining counter, held hash
ARGV[1]  final status: COMPLETED | REJECTED | FAILED | REFUNDED
ARGV[2]  '1' to give the units back (REJECTED, FAILED)
ARGV[3]  order record TTL (s)
ARGV[4]  order id
ARGV[5]  the order's status channel (sharded, same slot)   ARGV[6]  the announcement published there
Returns how many lines gave units back.
]]
local back = end_lines(4, ARGV[4], ARGV[2] == '1')
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('HSET', KEYS[1], 'status', ARGV[1])
  redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]))
end
redis.call('ZREM', KEYS[2], ARGV[4])
redis.call('ZREM', KEYS[3], ARGV[4])
redis.call('SPUBLISH', ARGV[5], ARGV[6])
return back
