"""Who may do what (docs/architecture.md, "Who may do what"), decided here and only here.

Views ask for a building through get_access_or_404(); it answers 404 to people who
may not see the building at all (visitors, residents of other buildings, people still
waiting for approval) and 403 to members who lack the role an action needs.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from buildings.models import Building, Community, Resident, StaffPost, User

VIEW, PARTICIPATE, ORGANISE, MANAGE = "view", "participate", "organise", "manage"
ROLE_RANK = {Resident.Role.RESIDENT: 1, Resident.Role.TEAM: 2, Resident.Role.LEADER: 3}
NEEDED_RANK = {VIEW: 1, PARTICIPATE: 1, ORGANISE: 2, MANAGE: 3}
# What the 403 page says: the rule that refused, not a guess.
REFUSALS = {
    VIEW: _("Only residents of this building can see this."),
    PARTICIPATE: _("Only residents of this building can do this."),
    ORGANISE: _("Only the building leader or the self-governance team can do this."),
    MANAGE: _("Only the building leader can do this."),
}


@dataclass(frozen=True)
class Access:
    """What one user may do in one building."""

    building: Building
    resident: Resident | None  # the user's approved membership here, if any
    is_staff: bool

    @property
    def role(self) -> str:
        if self.is_staff:
            return "staff"
        return self.resident.role

    def allows(self, level: str) -> bool:
        if self.is_staff:
            return True
        return ROLE_RANK[self.resident.role] >= NEEDED_RANK[level]

    @property
    def can_participate(self) -> bool:
        return self.allows(PARTICIPATE)

    @property
    def can_organise(self) -> bool:
        return self.allows(ORGANISE)

    @property
    def can_manage(self) -> bool:
        return self.allows(MANAGE)


def membership_for(user, building_id) -> Resident | None:
    """The user's approved residency in that building, or None."""
    for membership in memberships_of(user):
        if membership.is_approved and str(membership.household.building_id) == str(
            building_id
        ):
            return membership
    return None


def access_for(user, building: Building) -> Access | None:
    """Access for a user to a building, or None when they may not see it."""
    if not user.is_authenticated or not user.is_active:
        return None
    resident = membership_for(user, building.pk)
    is_staff = is_staff_for(user, building.community_id)
    if resident is None and not is_staff:
        return None
    return Access(building=building, resident=resident, is_staff=is_staff)


def get_access_or_404(user, building_pk, level: str = VIEW) -> Access:
    """Return the user's access to the building, 404 for outsiders, 403 for a role too low."""
    membership = membership_for(user, building_pk)
    if membership is not None:
        building = membership.household.building  # already read, with its community
    else:
        building = get_object_or_404(
            Building.objects.select_related("community"), pk=building_pk
        )
    access = access_for(user, building)
    if access is None:
        raise Http404
    if not access.allows(level):
        raise PermissionDenied(REFUSALS[level])
    return access


def can_post_community_announcement(user, community) -> bool:
    return is_staff_for(user, community.pk)


# --- Staff: where each is responsible --------------------------------------------------


def staff_community_ids(user) -> set[int] | None:
    """The communities a staff member answers for (their posts, and every community of
    the towns of their town posts); None for a superuser (the whole site); empty for
    anyone else. Remembered on the user (the cached log-in keeps it)."""
    if not user.is_authenticated or not user.is_active or not user.is_staff:
        return set()
    if user.is_superuser:
        return None
    if not hasattr(user, "_louzu_staff_scope"):
        user._louzu_staff_scope = StaffPost.objects.community_ids_for(user)
    return user._louzu_staff_scope


def is_staff_for(user, community_id) -> bool:
    """Staff responsible for this community (or a superuser)."""
    scope = staff_community_ids(user)
    if scope is None:
        return True
    return community_id is not None and int(community_id) in scope


def staff_communities(user):
    """The communities a staff member may see, as a QuerySet (all for a superuser)."""
    scope = staff_community_ids(user)
    if scope is None:
        return Community.objects.all()
    return Community.objects.filter(pk__in=scope)


def staff_by_community(community_ids) -> dict[int, list]:
    """The active staff answering for each of these communities (their own and their
    town's), in two queries whatever the number of communities."""
    community_ids = set(community_ids)
    towns = dict(
        Community.objects.filter(pk__in=community_ids)
        .exclude(town=None)
        .values_list("pk", "town_id")
    )
    posts = StaffPost.objects.filter(
        Q(community_id__in=community_ids) | Q(town_id__in=set(towns.values())),
        user__is_staff=True,
        user__is_active=True,
    ).select_related("user")
    found: dict[int, dict] = {pk: {} for pk in community_ids}
    for post in posts:
        for pk in community_ids:
            if post.community_id == pk or (
                post.town_id is not None and towns.get(pk) == post.town_id
            ):
                found[pk][post.user_id] = post.user
    return {pk: list(users.values()) for pk, users in found.items()}


def staff_of_community(community_id):
    """The active staff who answer for a community: its own and its town's (superusers
    operate the site and are not told of daily work)."""
    return User.objects.filter(
        Q(staff_posts__community_id=community_id)
        | Q(staff_posts__town__communities=community_id),
        is_staff=True,
        is_active=True,
    ).distinct()


def can_change_announcement(user, announcement) -> bool:
    """The leader of its building (or staff); a community-wide one: staff only."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff:
        return True
    if announcement.building_id is None:
        return False
    resident = membership_for(user, announcement.building_id)
    return resident is not None and resident.role == Resident.Role.LEADER


CHOSEN_BUILDING = "louzu_building"  # the session key of the building a person chose


def memberships_of(user) -> list[Resident]:
    """The user's pending and approved memberships, one per building at most.

    Remembered on the user object, which lives for one request (and is kept with the
    cached log-in): the navigation, the permission check and the page all ask, and one
    query answers them all.
    """
    if not user.is_authenticated:
        return []
    if not hasattr(user, "_louzu_memberships"):
        user._louzu_memberships = list(
            Resident.objects.filter(
                user=user,
                status__in=[Resident.Status.PENDING, Resident.Status.APPROVED],
            )
            .select_related("household__building__community")
            .order_by("-status", "pk")  # approved before pending, oldest first
        )
    return user._louzu_memberships


def active_membership(user) -> Resident | None:
    """ "My building": the membership in the building the person chose (the switch
    between buildings, kept in the session: ChosenBuildingMiddleware), else their first
    approved one, else a pending one."""
    memberships = memberships_of(user)
    if not memberships:
        return None
    chosen = getattr(user, "_louzu_chosen_building", None)
    if chosen is not None:
        for membership in memberships:
            if membership.is_approved and membership.household.building_id == chosen:
                return membership
    return memberships[0]


class ChosenBuildingMiddleware:
    """Tells the user object which building the person chose (session), so that
    active_membership() answers "my building" with it. After PageCacheMiddleware, which
    plans its one cache round trip before the user is read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        chosen = session.get(CHOSEN_BUILDING) if session is not None else None
        if chosen is not None and request.user.is_authenticated:
            request.user._louzu_chosen_building = chosen
        return self.get_response(request)


def household_members(household) -> list:
    """The approved residents of a household, remembered on it. The cached log-in
    (buildings.backends) keeps them with the membership; any change to a resident of
    the household makes its members log in afresh (core.pagecache)."""
    if not hasattr(household, "_louzu_members"):
        household._louzu_members = list(
            Resident.objects.approved().filter(household_id=household.pk)
        )
    return household._louzu_members
