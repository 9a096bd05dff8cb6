"""The community and building pages (both served through the page cache), the
building's edit page and the leader's to-do page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from buildings import extensions
from buildings.forms import (
    BuildingForm,
)
from buildings.models import Announcement, Building, Community, Resident, Talent
from buildings.permissions import (
    MANAGE,
    active_membership,
    can_post_community_announcement,
    get_access_or_404,
    household_members,
    is_staff_for,
    memberships_of,
)
from core.pagecache import cached_page


@login_not_required
def community_list(request):
    communities = Community.objects.select_related("town")
    return render(
        request, "buildings/community_list.html", {"communities": communities}
    )


@login_not_required
@cached_page
def community_detail(request, pk):
    community = get_object_or_404(Community, pk=pk)
    buildings = community.buildings.with_counts().in_natural_order()
    announcements = Announcement.objects.community_wide(community)[:20]
    membership = active_membership(request.user)
    in_community = any(
        m.is_approved and m.household.building.community_id == community.pk
        for m in memberships_of(request.user)
    )
    talents = []
    if in_community or is_staff_for(request.user, community.pk):
        talents = Talent.objects.visible_in_community(community)[:50]
    return render(
        request,
        "buildings/community_detail.html",
        {
            "community": community,
            "buildings": buildings,
            "announcements": announcements,
            "talents": talents,
            "membership": membership,
            "can_post": can_post_community_announcement(request.user, community),
        },
    )


def _building_personal(request, pk):
    """The building page's own part for this person: their household and what waits."""
    access = get_access_or_404(request.user, pk)
    household = access.resident.household if access.resident else None
    return {
        "access": access,
        "building": access.building,
        "household": household,
        "household_members": household_members(household) if household else [],
        "notes": extensions.personal_notes(access),
    }


@cached_page(personal=_building_personal)
def building_detail(request, pk):
    mine = _building_personal(request, pk)
    access = mine["access"]
    building = access.building
    # The team and the party members who show their badge, in one query (both in
    # room order; the team then with its leader first).
    team_roles = [Resident.Role.TEAM, Resident.Role.LEADER]
    people = list(
        Resident.objects.approved()
        .in_building(building)
        .filter(
            Q(role__in=team_roles) | Q(is_party_member=True, shows_party_badge=True)
        )
        .select_related("household", "user")
    )
    team = sorted(
        (member for member in people if member.role in team_roles),
        key=lambda member: (member.role != Resident.Role.LEADER, member.name),
    )
    party_members = [member for member in people if member.shows_badge]
    talents = Talent.objects.visible_in_building(
        building, include_staff_only=access.is_staff
    )
    talents = talents.select_related("resident__household")[:100]
    announcements = Announcement.objects.for_building(building)[:10]
    counts = Building.objects.with_counts().get(pk=building.pk)
    panels = extensions.building_panels(access)
    return render(
        request,
        "buildings/building_detail.html",
        {
            **mine,
            "team": team,
            "talents": talents,
            "party_members": party_members,
            "announcements": announcements,
            "counts": counts,
            "panels": panels,
            "pending_count": Resident.objects.pending().in_building(building).count()
            if access.can_manage
            else 0,
        },
    )


def building_edit(request, pk):
    access = get_access_or_404(request.user, pk, MANAGE)
    form = BuildingForm(
        request.POST or None, request.FILES or None, instance=access.building
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The building page has been updated."))
        return redirect(access.building)
    return render(
        request,
        "buildings/building_edit.html",
        {"building": access.building, "form": form},
    )


def todo(request, pk):
    """A leader's page of everything that waits for them in the building."""
    access = get_access_or_404(request.user, pk, MANAGE)
    items = [
        extensions.TodoItem(
            label=_("Join requests"),
            count=Resident.objects.pending().in_building(access.building).count(),
            url=reverse("buildings:join-requests", args=[pk]),
        ),
        *extensions.leader_todo(access),
    ]
    return render(
        request,
        "buildings/todo.html",
        {
            "building": access.building,
            "items": items,
            "total": sum(item.count for item in items),
        },
    )
