-- Reads a topic's history: its epoch (fixed now if the topic has none), latest seq, oldest seq held,
-- and up to a limit of messages after a seq, or the most recent ones.
-- KEYS: meta, log
-- ARGV: candidate epoch, mode ('after' or 'recent'), seq or count, limit, history TTL ms, meta TTL ms
-- Returns a flat list: epoch, latest, oldest, then seq, id, time, from, data per message.
local meta, log = KEYS[1], KEYS[2]
local epoch = open(meta, log, ARGV[1], tonumber(ARGV[6]))
prune(log, now_ms() - tonumber(ARGV[5]))
local latest = tonumber(redis.call('HGET', meta, 'seq'))
local first = redis.call('XRANGE', log, '-', '+', 'COUNT', 1)
local oldest = latest + 1
if #first > 0 then
  oldest = seq_of(first[1][1])
end
local out = {epoch, string.format('%d', latest), string.format('%d', oldest)}
local limit = tonumber(ARGV[4])
local after
if ARGV[2] == 'recent' then
  after = math.max(0, latest - tonumber(ARGV[3]))
elseif string.len(ARGV[3]) < 16 then
  after = tonumber(ARGV[3])
else
  after = latest -- past anything this stream will ever hold
end
if after < latest and limit > 0 then
  for _, e in ipairs(redis.call('XRANGE', log, string.format('%d-0', after + 1), '+', 'COUNT', limit)) do
    local f = e[2]
    table.insert(out, string.format('%d', seq_of(e[1])))
    table.insert(out, f[2])
    table.insert(out, f[4])
    table.insert(out, f[6])
    table.insert(out, f[8])
  end
end
return out
