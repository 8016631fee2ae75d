-- Removes a session from a topic's presence; the user's last session there announces a leave.
-- KEYS: sessions hash, users hash, the node instance's set of topics with presence
-- ARGV: session, user, topic, channel, '1' if it was this node's last session in the topic
local sessions, users, node_topics = KEYS[1], KEYS[2], KEYS[3]
local session, user, topic, channel = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
if redis.call('HDEL', sessions, session) == 1 then
  if redis.call('HINCRBY', users, user, -1) <= 0 then
    redis.call('HDEL', users, user)
    redis.call('PUBLISH', channel, 'p\n' .. topic .. '\nl\n' .. user)
  end
end
if ARGV[5] == '1' then
  redis.call('SREM', node_topics, topic)
end
return 0
