-- Publishes one message, atomically: idempotency check, next seq, history append with exact size
-- and TTL bounds, and fan-out to every node on one channel, all in seq order.
-- KEYS: meta, log, idempotency key (used only if ARGV[9] is '1')
-- ARGV: candidate epoch, message id, from, length of from in UTF-16 units, data, history size,
--       history TTL ms, meta TTL ms, use idempotency key, idempotency TTL ms, topic, channel
-- Returns the message as published (see Wire), or the first one for a repeated idempotency key.
local meta, log, idem = KEYS[1], KEYS[2], KEYS[3]
local id, from, from_len, data = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local size, ttl_ms, meta_ttl_ms = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
local topic, channel = ARGV[11], ARGV[12]

if ARGV[9] == '1' then
  local earlier = redis.call('GET', idem)
  if earlier then
    return earlier
  end
end
local now = now_ms()
local epoch = open(meta, log, ARGV[1], meta_ttl_ms)
local seq = redis.call('HINCRBY', meta, 'seq', 1)
-- exact MAXLEN: "~" would keep more than the history size allows
redis.call('XADD', log, 'MAXLEN', size, string.format('%d-0', seq), 'i', id, 't', string.format('%d', now), 'f', from, 'd', data)
prune(log, now - ttl_ms)
redis.call('PEXPIRE', log, ttl_ms)
local message = table.concat({'m', topic, epoch, string.format('%d', seq), id, string.format('%d', now), from_len, from .. data}, '\n')
if ARGV[9] == '1' then
  redis.call('SET', idem, message, 'PX', ARGV[10])
end
redis.call('PUBLISH', channel, message)
return message
