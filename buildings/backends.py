"""Log-in backend: Django's ModelBackend, with the user, their membership and their unread
count read from the shared cache in one round trip instead of three queries, on the reads
of the pages the page cache keeps and nowhere else.

Only there does it pay: a hit of such a page costs some 1.5 ms of CPU more with the person
read from the database (three queries; measured at district scale, docs/benchmarks.md),
about as much as the rest of the hit together. Every write, and every page the cache does
not keep, reads the person afresh with ModelBackend, so it acts on who they are now.

Entries are checked against the page cache's generations (core/pagecache.py): the
user with their memberships and staff posts against "all" (bumped by any change to a building or
household) and "u<id>" (bumped by any change to the user's row or to one of their
memberships); the unread count against "i<id>" (bumped by any new, read or deleted
notification of theirs). A password change, a deactivation or a new role therefore
takes effect on the very next request, as without the cache; entries also expire after
SECONDS. Only where the page cache is on (a shared cache, or a single process).
"""

from django.contrib.auth.backends import ModelBackend

from buildings.permissions import household_members, memberships_of, staff_community_ids
from core import pagecache

SECONDS = 300


class CachedModelBackend(ModelBackend):
    def get_user(self, user_id):
        if not pagecache.serving_cached_page():
            return super().get_user(user_id)
        who, unread = f"louzu:who:{user_id}", f"louzu:unread:{user_id}"
        who_scopes, unread_scopes = ["all", f"u{user_id}"], [f"i{user_id}"]
        tokens, values = pagecache.read(
            {who: who_scopes, unread: unread_scopes, **pagecache.prefetch_entries()}
        )
        pagecache.prefetched(tokens, values)
        user = values.get(who)
        if user is None:
            user = super().get_user(user_id)
            if user is None:
                return None
            for membership in memberships_of(user):  # remembered on the user, kept
                household_members(membership.household)  # the same
            staff_community_ids(user)  # where a staff member answers: the same
            pagecache.store(who, tokens, who_scopes, user, SECONDS)
        if not self.user_can_authenticate(user):
            return None
        if unread in values:
            user._louzu_unread = values[unread]
        else:
            user._louzu_unread = user.notifications.unread().count()
            pagecache.store(unread, tokens, unread_scopes, user._louzu_unread, SECONDS)
        return user
