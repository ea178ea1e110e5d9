"""The Lua scripts of the leased queue: each runs atomically in Redis, on Redis's clock.

Keys, in this order where a script takes them: the queue (sorted set, score = -priority,
as scrapy-redis's ``PriorityQueue``), the leases (sorted set: lease id -> deadline), the
leased requests (hash: lease id -> serialized request, ``<id>#score`` -> its queue score)
and the time of the crawl's last activity (a string, seconds).
"""

NOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
"""

POP = NOW + """
local item = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #item == 0 then return false end
redis.call('ZREM', KEYS[1], item[1])
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), ARGV[1])
redis.call('HSET', KEYS[3], ARGV[1], item[1], ARGV[1] .. '#score', item[2])
redis.call('SET', KEYS[4], tostring(now))
return item[1]
"""
"""Move the first request of the queue into a lease ``ARGV[1]`` ending ``ARGV[2]`` s from now."""

ACK = NOW + """
local done = 0
for i = 1, #ARGV do
  done = done + redis.call('ZREM', KEYS[1], ARGV[i])
  redis.call('HDEL', KEYS[2], ARGV[i], ARGV[i] .. '#score')
end
redis.call('SET', KEYS[3], tostring(now))
return done
"""
"""Drop the leases ``ARGV`` (their requests were handled); keys: leases, leased, active."""

RENEW = NOW + """
local renewed = 0
for i = 2, #ARGV do
  renewed = renewed + redis.call('ZADD', KEYS[1], 'XX', 'CH', now + tonumber(ARGV[1]), ARGV[i])
end
return renewed
"""
"""Push the deadlines of the leases ``ARGV[2..]`` to ``ARGV[1]`` s from now (only existing ones)."""

RETURN = NOW + """
local ids
if ARGV[1] == 'expired' then
  ids = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, 1000)
else
  ids = {}
  for i = 2, #ARGV do ids[#ids + 1] = ARGV[i] end
end
local returned = 0
for _, id in ipairs(ids) do
  local request = redis.call('HGET', KEYS[3], id)
  if redis.call('ZREM', KEYS[2], id) == 1 and request then
    local score = redis.call('HGET', KEYS[3], id .. '#score') or '0'
    redis.call('ZADD', KEYS[1], score, request)
    returned = returned + 1
  end
  redis.call('HDEL', KEYS[3], id, id .. '#score')
end
if returned > 0 then redis.call('SET', KEYS[4], tostring(now)) end
return returned
"""
"""Put leased requests back in the queue: ``expired`` ones (any worker's), or the ids given."""

JOIN = """
local crawl = redis.call('GET', KEYS[1])
if not crawl then
  crawl = ARGV[1]
  redis.call('SET', KEYS[1], crawl)
end
local seed = redis.call('GET', KEYS[2])
if not seed then
  redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
  return {crawl, 'seed'}
end
if seed == 'done' then return {crawl, 'join'} end
if seed == ARGV[2] then return {crawl, 'seed'} end
return {crawl, 'wait'}
"""
"""Join the crawl (keys: crawl id, seed marker): ``seed`` (this worker seeds, its marker
expires ``ARGV[3]`` ms from now unless renewed), ``join`` (seeded) or ``wait`` (another
worker is seeding; if it dies its marker expires and a waiting worker seeds instead)."""

IDLE = NOW + """
if redis.call('GET', KEYS[5]) ~= ARGV[1] then return {'finished', '0'} end
local last = tonumber(redis.call('GET', KEYS[4]) or '')
if redis.call('ZCARD', KEYS[1]) > 0 or redis.call('ZCARD', KEYS[2]) > 0
    or redis.call('GET', KEYS[6]) ~= 'done' or not last then
  redis.call('SET', KEYS[4], tostring(now))
  return {'busy', '0'}
end
local idle = now - last
if idle >= tonumber(ARGV[2]) then
  redis.call('DEL', unpack(KEYS))
  return {'finished', tostring(idle)}
end
return {'idle', tostring(idle)}
"""
"""Whether crawl ``ARGV[1]`` is over (keys: queue, leases, leased, active, crawl id, seed
marker, dupefilter). Busy while requests are queued or leased by any worker or the seeding
is not done; over once idle for ``ARGV[2]`` seconds: then its keys are deleted, so the
next ``crawl`` of the site starts afresh. A crawl whose id changed (or is gone) is over."""

TAKE = """
if redis.call('GET', KEYS[5]) ~= ARGV[1] then return -1 end
local n = redis.call('INCR', KEYS[8])
if n >= tonumber(ARGV[2]) then
  redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8],
             KEYS[10], KEYS[11])
  redis.call('SET', KEYS[9], ARGV[1], 'PX', ARGV[3])
end
return n
"""
"""Count one article of crawl ``ARGV[1]`` (keys: every key of the crawl, in ``CrawlKeys``
order): its number, or -1 when the crawl is over. The article that reaches the limit
``ARGV[2]`` ends the crawl for every worker: its keys are deleted (the next ``crawl`` starts
afresh) and the ``stopped`` marker names it for ``ARGV[3]`` ms, so the others stop too."""

CLEAN = """
if redis.call('GET', KEYS[9]) == ARGV[1] and not redis.call('GET', KEYS[5]) then
  redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[6], KEYS[7], KEYS[8], KEYS[10], KEYS[11])
end
return 0
"""
"""A worker of crawl ``ARGV[1]``, stopped by the article limit, closes: what workers wrote
since (requests queued or leased before they saw the stop) goes too, unless a new crawl of
the site has begun meanwhile."""

PUBLISH_DOMAIN = NOW + """
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ' ' .. string.format('%.6f', now) .. ' ' .. ARGV[3])
redis.call('DEL', KEYS[2])
return string.format('%.6f', now)
"""
"""A worker's breaker changed ``ARGV[1]`` (an origin) to ``ARGV[2]`` (open or closed) for
failure class ``ARGV[3]`` (keys: the domains hash, the origin's probe claim, which the change
ends); returns the time of the change on Redis's clock."""

SYNC_FAILOVER = NOW + """
for i = 2, #ARGV do redis.call('LPUSH', KEYS[2], ARGV[i]) end
if #ARGV > 1 then redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[1]) - 1) end
return {string.format('%.6f', now), redis.call('HGETALL', KEYS[1]),
        redis.call('LRANGE', KEYS[2], 0, tonumber(ARGV[1]) - 1)}
"""
"""One worker's beat (keys: the domains hash, the latency list): its response times since the
last beat ``ARGV[2..]`` join the crawl's latest ``ARGV[1]``; returns Redis's time, every
domain's state and the crawl's latest response times."""

ENQUEUE = """
if ARGV[3] == '1' and redis.call('SADD', KEYS[2], ARGV[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[4])
return 1
"""
"""Queue a request (keys: the queue, the dupefilter): unless ``ARGV[3]`` is ``0`` (the
request's ``dont_filter``), only when its fingerprint ``ARGV[1]`` is new, in the same step as
the fingerprint is recorded, so a worker killed between the two cannot leave a request
marked seen and never queued. ``ARGV[2]``: its score (-priority), ``ARGV[4]``: the request."""
