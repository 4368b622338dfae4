--[[ end-lines: ends an order's reservations on one slot that is not its home (a multi-item
order on a Redis Cluster): each line's holds entry removed, its units given back when asked.
KEYS[3i-2] .. KEYS[3i]  line i: holds hash, remaining counter, held hash
ARGV[1]  order id
ARGV[2]  '1' to give the units back (REJECTED, FAILED, voided), '0' to forget the hold (COMPLETED)
Returns how many lines gave units back.
]]
return end_lines(1, ARGV[1], ARGV[2] == '1')
