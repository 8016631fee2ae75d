-- A node instance says it is alive, and removes from presence the sessions of instances that have
-- not said so for too long (killed, or cut off from Redis): their users leave every topic.
-- Node instances are random per process, so a restarted node never revives its dead self's sessions.
-- KEYS: the sorted set of node instances by last heartbeat (ms)
-- ARGV: this node instance, ms after which an instance is dead, ms within which this instance's own
--       last heartbeat must lie for it to reap others, '1' if this instance is leaving, key prefix,
--       channel
-- Returns 1 if this instance was not registered (new, or reaped while cut off), else 0.
-- Only an instance that was itself alive just before reaps: after an outage of Redis every
-- instance's heartbeat is old, and the first one back must not take all the others for dead.
-- Builds keys from data: fine on one Redis; see docs/scaling.md for Redis Cluster.
local nodes = KEYS[1]
local me, dead_after, reap_within = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local leaving, prefix, channel = ARGV[4] == '1', ARGV[5], ARGV[6]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local previous = tonumber(redis.call('ZSCORE', nodes, me))
local added = 0
if leaving then
  redis.call('ZADD', nodes, 0, me)
else
  added = redis.call('ZADD', nodes, now, me)
  if not previous or now - previous > reap_within then
    return added
  end
end
for _, node in ipairs(redis.call('ZRANGEBYSCORE', nodes, '-inf', now - dead_after)) do
  local node_topics = prefix .. 'node:' .. node .. ':topics'
  for _, topic in ipairs(redis.call('SMEMBERS', node_topics)) do
    local sessions = prefix .. '{' .. topic .. '}:sessions'
    local users = prefix .. '{' .. topic .. '}:users'
    local entries = redis.call('HGETALL', sessions)
    for i = 1, #entries, 2 do
      local owner, user = string.match(entries[i + 1], '^([^\n]*)\n(.*)$')
      if owner == node then
        redis.call('HDEL', sessions, entries[i])
        if redis.call('HINCRBY', users, user, -1) <= 0 then
          redis.call('HDEL', users, user)
          redis.call('PUBLISH', channel, 'p\n' .. topic .. '\nl\n' .. user)
        end
      end
    end
  end
  redis.call('DEL', node_topics)
  redis.call('ZREM', nodes, node)
end
return added
