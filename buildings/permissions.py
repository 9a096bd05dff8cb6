"""Who may do what (docs/architecture.md, "Who may do what"), decided here and only here.

Views ask for a building through get_access_or_404(); it answers 404 to people who
may not see the building at all (visitors, residents of other buildings, people still
waiting for approval) and 403 to members who lack the role an action needs.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from buildings.models import Building, Resident

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


def membership_for(user, building_id: int) -> Resident | None:
    """The user's approved residency in that building, or None."""
    membership = active_membership(user)
    if membership is None or not membership.is_approved:
        return None
    return membership if membership.household.building_id == building_id else None


def access_for(user, building: Building) -> Access | None:
    """Access for a user to a building, or None when they may not see it."""
    if not user.is_authenticated or not user.is_active:
        return None
    resident = membership_for(user, building.pk)
    if resident is None and not user.is_staff:
        return None
    return Access(building=building, resident=resident, is_staff=user.is_staff)


def get_access_or_404(user, building_pk, level: str = VIEW) -> Access:
    """Return the user's access to the building, 404 for outsiders, 403 for a role too low."""
    membership = active_membership(user)
    if (
        membership is not None
        and membership.is_approved
        and str(membership.household.building_id) == str(building_pk)
    ):
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


def can_post_community_announcement(user) -> bool:
    return user.is_authenticated and user.is_staff


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


def can_see_talent(viewer_access: Access | None, resident: Resident) -> bool:
    """Talents are shown per the resident's own choice of audience."""
    if resident.talent_visibility == Resident.Visibility.STAFF:
        return viewer_access is not None and viewer_access.is_staff
    return viewer_access is not None


def active_membership(user) -> Resident | None:
    """The user's pending or approved membership (at most one exists).

    Remembered on the user object, which lives for one request: the navigation, the
    permission check and the page all ask, and one query answers them all.
    """
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_louzu_membership"):
        user._louzu_membership = (
            Resident.objects.filter(
                user=user,
                status__in=[Resident.Status.PENDING, Resident.Status.APPROVED],
            )
            .select_related("household__building__community")
            .first()
        )
    return user._louzu_membership


def household_members(household) -> list:
    """The approved residents of a household, remembered on it. The cached log-in
    (buildings.backends) keeps them with the membership; any change to a resident of
    the household makes its members log in afresh (core.pagecache)."""
    if not hasattr(household, "_louzu_members"):
        household._louzu_members = list(
            Resident.objects.approved().filter(household_id=household.pk)
        )
    return household._louzu_members
