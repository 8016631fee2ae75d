-- Shared by publish.lua and read.lua (prepended to each). A topic's keys share the hash tag {topic}:
-- KEYS[1] its meta hash (epoch, seq), KEYS[2] its history stream, whose entry ids are seq-0.

-- Redis' own clock, in ms: the same for every node, so TTLs do not depend on node clocks.
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- The stream's epoch, fixed on first use, and true if that is now. A missing meta hash means the
-- stream was lost (expired, or Redis restarted empty): a new epoch starts at seq 0, and any orphaned
-- history goes with it.
local function open(meta, log, candidate, meta_ttl_ms)
  local epoch = redis.call('HGET', meta, 'epoch')
  local fresh = false
  if not epoch then
    redis.call('DEL', log)
    redis.call('HSET', meta, 'epoch', candidate, 'seq', 0)
    epoch = candidate
    fresh = true
  end
  redis.call('PEXPIRE', meta, meta_ttl_ms)
  return epoch, fresh
end

local function seq_of(id)
  return tonumber(string.match(id, '^(%d+)'))
end

-- Drops entries older than the cutoff. They are always the oldest ones, so each is looked at once
-- more than it is dropped: amortised, two one-entry XRANGEs per call.
local function prune(log, cutoff)
  while true do
    local first = redis.call('XRANGE', log, '-', '+', 'COUNT', 1)
    if #first == 0 or tonumber(first[1][2][4]) > cutoff then
      return
    end
    redis.call('XTRIM', log, 'MINID', string.format('%d-0', seq_of(first[1][1]) + 1))
  end
end
