"""A leader's pages for the people of the building: residents (and registering one the
leader acts for, 代录), rooms, one resident's page."""

from django.contrib import messages
from django.core.exceptions import (
    PermissionDenied,
    ValidationError,
)
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from buildings import extensions, services, team
from buildings.forms import (
    HouseholdsForm,
    PartyBadgeForm,
    ProxyResidentForm,
    TalentForm,
)
from buildings.models import Resident
from buildings.permissions import (
    MANAGE,
    get_access_or_404,
)
from buildings.views.changes import confirm_with_reason
from buildings.views.me import save_talents


def residents(request, pk):
    access = get_access_or_404(request.user, pk, MANAGE)
    households = access.building.households.prefetch_related(
        Prefetch(
            "residents", queryset=Resident.objects.approved().select_related("user")
        )
    )
    form = ProxyResidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            resident = services.register_proxy_resident(
                building=access.building,
                leader=request.user,
                room=form.cleaned_data["room"],
                name=form.cleaned_data["name"],
                contact_phone=form.cleaned_data["contact_phone"],
                is_adult=form.cleaned_data["is_adult"],
            )
        except ValidationError as error:
            form.add_error("room", error.messages[0])
        else:
            messages.success(
                request,
                _("%(name)s has been registered. You can act for them from now on.")
                % {"name": resident.name},
            )
            return redirect(resident)
    return render(
        request,
        "buildings/residents.html",
        {"building": access.building, "households": households, "form": form},
    )


def households(request, pk):
    """Leaders and staff add the building's rooms (户/室), one by one or as ranges."""
    access = get_access_or_404(request.user, pk, MANAGE)
    form = HouseholdsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            added = services.add_households(
                building=access.building, spec=form.cleaned_data["rooms"]
            )
        except ValidationError as error:
            form.add_error("rooms", error.messages[0])
        else:
            messages.success(
                request,
                ngettext("%(count)d room added.", "%(count)d rooms added.", added)
                % {"count": added},
            )
            return redirect("buildings:households", pk)
    rooms = access.building.households.values_list("room", flat=True)
    return render(
        request,
        "buildings/households.html",
        {"building": access.building, "form": form, "rooms": list(rooms)},
    )


def resident_detail(request, pk, resident_pk):
    """A leader's page for one resident: acts on their behalf (代录) and their history."""
    access = get_access_or_404(request.user, pk, MANAGE)
    resident = get_object_or_404(
        Resident.objects.in_building(access.building)
        .approved()
        .select_related("household", "registered_by"),
        pk=resident_pk,
    )
    if request.method == "POST":
        if not resident.is_proxy:
            raise PermissionDenied(
                _("Only for residents the leader registered and acts for (代录).")
            )
        return save_talents(request, resident, "buildings:resident", pk, resident_pk)
    form = TalentForm(
        initial={
            "skills": ", ".join(
                t.skill.name for t in resident.talents.select_related("skill")
            ),
            "talent_visibility": resident.talent_visibility,
        }
    )
    return render(
        request,
        "buildings/resident_detail.html",
        {
            "building": access.building,
            "resident": resident,
            "form": form,
            "badge_form": PartyBadgeForm(
                initial={"shows_party_badge": resident.shows_party_badge}
            )
            if resident.is_party_member
            else None,
            "acts": resident.proxy_acts.select_related("actor")[:50],
            "resident_links": extensions.RESIDENT_LINKS,
        },
    )


def resident_moved_out(request, pk, resident_pk):
    """A leader records that a resident moved out, with a reason they are told."""
    access = get_access_or_404(request.user, pk, MANAGE)
    resident = get_object_or_404(
        Resident.objects.in_building(access.building).approved(),
        pk=resident_pk,
    )
    if resident.role == Resident.Role.LEADER:
        raise PermissionDenied(
            _("A building leader is changed by branch staff, not here.")
        )
    return confirm_with_reason(
        request,
        act=lambda reason: team.mark_moved_out(
            resident=resident, by=request.user, reason=reason
        ),
        done=_("%(name)s is no longer listed as a resident of the building.")
        % {"name": resident.name},
        back_url=reverse("buildings:residents", args=[pk]),
        back_label=_("Back to the residents"),
        heading=_("%(name)s moved out") % {"name": resident.name},
        explanation=_(
            "They are no longer listed in the building and no longer see its pages; "
            "the places and volunteer shifts they took for days still to come are "
            "given back. Their account stays: they are told, with your reason, and "
            "can ask to join again."
        ),
        button=_("They moved out"),
    )
