"""Django's Redis cache backend, keeping one client per connection pool.

Django's `RedisCacheClient.get_client()` builds a new `redis.Redis` for every cache call,
and each one fills a table of about 170 response callbacks: measured here, that was a
fifth of the time of a page served from the page cache (three cache calls per request).
A `redis.Redis` is safe to share between threads (it takes a connection from its pool
for every command), so one per pool is enough.
"""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)
            client = self._clients[index] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
