"""Log-in backend: Django's ModelBackend, with the user and their membership read from the
shared cache on every request instead of two queries.

The entry is checked against the page cache's generations (buildings/pagecache.py):
"all", bumped by any change to a building, and "u<id>", bumped by any change to the
user's row or to one of their memberships. A password change, a deactivation or a
new role therefore takes effect on the very next request, as without the cache; the
entry also expires after SECONDS. Only where the page cache is on (a shared cache).
"""

from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache

from buildings import pagecache
from buildings.permissions import active_membership

SECONDS = 300


class CachedModelBackend(ModelBackend):
    def get_user(self, user_id):
        if not pagecache.enabled():
            return super().get_user(user_id)
        gen_keys = [pagecache.gen_key("all"), pagecache.gen_key(f"u{user_id}")]
        key = f"louzu:who:{user_id}"
        found = cache.get_many([*gen_keys, key])
        generations = [found.get(gen_key) for gen_key in gen_keys]
        stored = found.get(key)
        if None not in generations and stored is not None and stored[0] == generations:
            user = stored[1]
        else:
            generations = pagecache.generations(["all", f"u{user_id}"])
            user = super().get_user(user_id)
            if user is None:
                return None
            active_membership(user)  # remembered on the user, and kept with it
            cache.set(key, (generations, user), SECONDS)
        return user if self.user_can_authenticate(user) else None
