-- Records a session as present in a topic; the user's first session there announces a join.
-- KEYS: the topic's sessions hash (session -> node instance, user), users hash (user -> sessions),
--       the node instance's set of topics with presence
-- ARGV: session, node instance, user, topic, channel
-- Returns the topic's members.
local sessions, users, node_topics = KEYS[1], KEYS[2], KEYS[3]
local session, node, user, topic, channel = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
if redis.call('HSETNX', sessions, session, node .. '\n' .. user) == 1 then
  if redis.call('HINCRBY', users, user, 1) == 1 then
    redis.call('PUBLISH', channel, 'p\n' .. topic .. '\nj\n' .. user)
  end
end
redis.call('SADD', node_topics, topic)
return redis.call('HKEYS', users)
