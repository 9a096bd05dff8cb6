from buildings.extensions import NAV_LINKS
from buildings.permissions import active_membership, memberships_of


def unread_count(user) -> int:
    """Read with the log-in from the cache when it can be (buildings.backends)."""
    count = getattr(user, "_louzu_unread", None)
    return user.notifications.unread().count() if count is None else count


def navigation(request):
    """The building in the top bar, the bottom bar links and the unread count."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    membership = active_membership(user)
    nav_building = None
    if membership is not None and membership.is_approved:
        nav_building = membership.household.building
    return {
        "nav_membership": membership,
        "nav_building": nav_building,
        "nav_links": NAV_LINKS,
        "nav_is_leader": membership is not None
        and membership.is_approved
        and membership.role == "leader",
        "nav_switchable": sum(m.is_approved for m in memberships_of(user)) > 1,
        "unread_count": unread_count(user),
    }
