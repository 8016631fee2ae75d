-- Publishes one message, atomically: idempotency check, next seq, history append with exact size
-- and TTL bounds, and fan-out to every node on one channel, all in seq order.
-- KEYS: meta, log, the topic's idempotency records (hash: key -> "time\nseq\nid\nfingerprint"), the
--       same keys by seq (sorted set: oldest first)
-- ARGV: candidate epoch, message id, from, length of from in UTF-16 units, data, history size,
--       history TTL ms, meta TTL ms, '1' if the publish has an idempotency key, that key,
--       fingerprint of from and data, idempotency window ms, most keys kept per topic, topic, channel
-- Returns the message as published (see Wire), or "k\n" and the record of a key used before, whose
-- fingerprint the caller compares with its own (the same data, or a conflict).
-- A record holds no message: however large messages are, a topic's keys take a bounded space, at
-- most the number kept for at most the window.
local meta, log, records, order = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local id, from, from_len, data = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local size, ttl_ms, meta_ttl_ms = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
local keyed, key, fingerprint = ARGV[9] == '1', ARGV[10], ARGV[11]
local window_ms, max_keys = tonumber(ARGV[12]), tonumber(ARGV[13])
local topic, channel = ARGV[14], ARGV[15]

local function forget(k)
  redis.call('HDEL', records, k)
  redis.call('ZREM', order, k)
end

local now = now_ms()
local epoch, fresh = open(meta, log, ARGV[1], meta_ttl_ms)
if fresh then
  -- a new stream: the records of a lost one name its seqs, not this one's
  redis.call('DEL', records, order)
end
if keyed then
  -- drop records past the window, oldest first (their times follow their seqs); each is looked at
  -- once more than it is dropped
  while true do
    local oldest = redis.call('ZRANGE', order, 0, 0)
    if #oldest == 0 then
      break
    end
    local record = redis.call('HGET', records, oldest[1])
    if record and tonumber(string.match(record, '^(%d+)')) >= now - window_ms then
      break
    end
    forget(oldest[1])
  end
  local earlier = redis.call('HGET', records, key)
  if earlier then
    return 'k\n' .. earlier
  end
end
local seq = redis.call('HINCRBY', meta, 'seq', 1)
-- exact MAXLEN: "~" would keep more than the history size allows
redis.call('XADD', log, 'MAXLEN', size, string.format('%d-0', seq), 'i', id, 't', string.format('%d', now), 'f', from, 'd', data)
prune(log, now - ttl_ms)
redis.call('PEXPIRE', log, ttl_ms)
local message = table.concat({'m', topic, epoch, string.format('%d', seq), id, string.format('%d', now), from_len, from .. data}, '\n')
if keyed then
  redis.call('HSET', records, key, table.concat({string.format('%d', now), string.format('%d', seq), id, fingerprint}, '\n'))
  redis.call('ZADD', order, seq, key)
  local over = redis.call('ZCARD', order) - max_keys
  if over > 0 then
    for _, k in ipairs(redis.call('ZRANGE', order, 0, over - 1)) do
      forget(k)
    end
  end
  redis.call('PEXPIRE', records, window_ms)
  redis.call('PEXPIRE', order, window_ms)
end
redis.call('PUBLISH', channel, message)
return message
