"""Sessions in the cache (Redis in production), updated in one round trip.

Django's cache session store updates a session with a GET (is it still there?) and then a
SET. On Redis (django-redis) this store sends one `SET … XX` instead: set only if the key
still exists, which is the same check made atomically, with the same `UpdateError` when the
session has gone (expired or flushed meanwhile). Keys, format and expiry are Django's, so
sessions written by either store are read by the other. Other caches keep Django's way.
"""

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.cache import SessionStore as CacheSessionStore


def _has_set_xx(cache) -> bool:
    try:
        from django_redis.cache import RedisCache
    except ImportError:  # pragma: no cover - django-redis is a dependency
        return False
    return isinstance(cache, RedisCache)


class SessionStore(CacheSessionStore):
    def save(self, must_create=False):
        if self.session_key is None or must_create or not _has_set_xx(self._cache):
            return super().save(must_create=must_create)
        stored = self._cache.set(
            self.cache_key, self._get_session(no_load=False), self.get_expiry_age(), xx=True
        )
        if not stored:
            raise UpdateError
