"""The cache as an aid, never a dependency: with Redis unreachable, every read is a miss and every
write is dropped (logged), so a page that caches — the public booklet, the API's throttle counts —
is built afresh instead of failing with a 500.

Why here, in one backend, rather than a try/except at each caller: the cache is also used by code we
do not own (DRF's throttles, Django's own helpers), and a caller cannot know the cache is Redis. The
price is made explicit: while Redis is down, rate limits that count in the cache do not count (the
public API answers, unthrottled, rather than refusing everyone), and /healthz reports the broker —
the same Redis — as down."""

import logging

import redis.exceptions
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

UNREACHABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, ConnectionError, TimeoutError)


class ForgivingRedisCache(RedisCache):
    def _missed(self, operation: str, error: Exception) -> None:
        logger.warning("cache %s skipped: Redis unreachable (%r)", operation, error)

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNREACHABLE as error:
            self._missed("get", error)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except UNREACHABLE as error:
            self._missed("get_many", error)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except UNREACHABLE as error:
            self._missed("has_key", error)
            return False

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except UNREACHABLE as error:
            self._missed("add", error)
            return False

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set(key, value, timeout, version)
        except UNREACHABLE as error:
            self._missed("set", error)
            return None

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except UNREACHABLE as error:
            self._missed("set_many", error)
            return list(data)  # the keys not stored

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except UNREACHABLE as error:
            self._missed("touch", error)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except UNREACHABLE as error:
            self._missed("delete", error)
            return False

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except UNREACHABLE as error:
            self._missed("delete_many", error)
            return None
