"""A leased request queue: scrapy-redis's priority queue, but a pop is a lease, not a loss.

scrapy-redis pops a request destructively: a worker killed with requests in flight loses
them. Here a pop moves the request atomically (a Lua script) into a lease with its owner
(the lease id starts with the worker id) and a deadline on Redis's clock. The owner renews
its leases while it works on them and acknowledges each once its response is handled; a
lease whose deadline passed (its worker died) is put back in the queue by any worker, as
the serialized request itself, so the dupefilter never sees it again.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from scrapy import Request, Spider
from scrapy_redis.queue import PriorityQueue

from newscrawl.distributed import scripts

LEASE = "newscrawl_lease"
"""Request meta key: the id of the lease a popped request is held under."""


class CrawlKeys(NamedTuple):
    """The Redis keys of one distributed crawl (in the order the ``IDLE`` script takes them)."""

    requests: str
    leases: str
    leased: str
    active: str
    crawl: str
    seed: str
    dupefilter: str
    articles: str
    stopped: str
    domains: str
    latency: str

    @classmethod
    def under(cls, prefix: str) -> CrawlKeys:
        """The keys ``<prefix>:<name>`` (prefix ``newscrawl:<site>`` or ``newscrawl:<site>:<job>``)."""
        return cls(*(f"{prefix}:{name}" for name in cls._fields))


class LeasedQueue(PriorityQueue):
    """The crawl's shared queue; ``pop`` leases a request to ``owner`` for ``lease_seconds``."""

    def __init__(self, server: Any, spider: Spider, keys: CrawlKeys, owner: str,
                 lease_seconds: float, serializer: Any = None):
        super().__init__(server, spider, keys.requests, serializer)
        self.keys, self.owner, self.lease_seconds = keys, owner, lease_seconds
        self._count = 0
        self._pop = server.register_script(scripts.POP)
        self._ack = server.register_script(scripts.ACK)
        self._renew = server.register_script(scripts.RENEW)
        self._return = server.register_script(scripts.RETURN)
        self._enqueue = server.register_script(scripts.ENQUEUE)

    def push(self, request: Request) -> None:
        request.meta.pop(LEASE, None)  # a lease is one worker's, never queued
        super().push(request)

    def push_new(self, request: Request, fingerprint: str) -> bool:
        """Queue ``request`` unless its fingerprint was seen (``dont_filter`` requests always):
        the fingerprint recorded and the request queued in one atomic step. True if queued."""
        request.meta.pop(LEASE, None)
        keys = [self.keys.requests, self.keys.dupefilter]
        filtered = "0" if request.dont_filter else "1"
        return bool(self._enqueue(keys=keys, args=[fingerprint, -request.priority, filtered,
                                                   self._encode_request(request)]))

    def pop(self, timeout: int = 0) -> Request | None:
        self._count += 1
        lease = f"{self.owner}:{self._count}"
        keys = self.keys
        data = self._pop(keys=[keys.requests, keys.leases, keys.leased, keys.active],
                         args=[lease, self.lease_seconds])
        if data is None:
            return None
        request: Request = self._decode_request(data)
        request.meta[LEASE] = lease
        return request

    def ack(self, leases: Iterable[str]) -> int:
        """Drop ``leases``: their requests were handled. Returns how many were still held."""
        ids = list(leases)
        if not ids:
            return 0
        keys = self.keys
        return int(self._ack(keys=[keys.leases, keys.leased, keys.active], args=ids))

    def renew(self, leases: Iterable[str]) -> int:
        ids = list(leases)
        if not ids:
            return 0
        return int(self._renew(keys=[self.keys.leases], args=[self.lease_seconds, *ids]))

    def give_back(self, leases: Iterable[str]) -> int:
        """Put ``leases``' requests back in the queue (this worker stops without them)."""
        ids = list(leases)
        return self._return_leases(["ids", *ids]) if ids else 0

    def reclaim_expired(self) -> int:
        """Put every expired lease's request (a dead worker's) back in the queue."""
        return self._return_leases(["expired"])

    def _return_leases(self, args: list[str]) -> int:
        keys = self.keys
        return int(self._return(keys=[keys.requests, keys.leases, keys.leased, keys.active], args=args))

    def leased(self) -> int:
        """Requests leased by every worker of the crawl (in flight somewhere)."""
        return int(self.server.zcard(self.keys.leases))

    def clear(self) -> None:
        self.server.delete(self.keys.requests, self.keys.leases, self.keys.leased)
