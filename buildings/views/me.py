"""The person's own pages: their membership and profile, skills, how they show on
public lists, their data as JSON, leaving Louzu."""

from django.contrib import messages
from django.contrib.auth import logout
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from buildings import privacy, services
from buildings.forms import (
    LeaveForm,
    ProfileForm,
    PublicDisplayForm,
    TalentForm,
)
from buildings.models import Resident
from buildings.permissions import (
    CHOSEN_BUILDING,
    active_membership,
    household_members,
    membership_for,
    memberships_of,
)
from buildings.views.team import me_context


@never_cache  # personal: no browser or proxy may keep it
def me(request):
    """The person's own page: their membership, household, profile and skills."""
    membership = active_membership(request.user)
    others = [m for m in memberships_of(request.user) if m is not membership]
    past = request.user.memberships.exclude(
        status__in=[Resident.Status.PENDING, Resident.Status.APPROVED]
    ).select_related("household__building")
    members = []
    talent_form = None
    if membership is not None and membership.is_approved:
        members = household_members(membership.household)
        talents = list(membership.talents.select_related("skill"))
        talent_form = TalentForm(
            initial={
                "skills": ", ".join(t.skill.name for t in talents),
                "offer": talents[0].offer if talents else "",
                "talent_visibility": membership.talent_visibility,
            }
        )
    profile_form = ProfileForm(instance=request.user)
    display_form = None
    if membership is not None and membership.is_approved:
        display_form = PublicDisplayForm(
            initial={"public_display": membership.public_display}
        )
    return render(
        request,
        "buildings/me.html",
        {
            "membership": membership,
            "other_memberships": others,
            "past_memberships": past,
            "household_members": members,
            "talent_form": talent_form,
            "profile_form": profile_form,
            "display_form": display_form,
            **me_context(membership),
        },
    )


@never_cache
def switch_building(request):
    """Make one of the person's buildings "my building" (kept in the session)."""
    if request.method != "POST":
        membership = active_membership(request.user)
        others = [m for m in memberships_of(request.user) if m is not membership]
        return render(
            request,
            "buildings/switch_building.html",
            {"membership": membership, "other_memberships": others},
        )
    building_pk = request.POST.get("building", "")
    membership = (
        membership_for(request.user, building_pk) if building_pk.isdigit() else None
    )
    if membership is None:
        messages.error(request, _("You are not a resident of that building."))
        return redirect("buildings:me")
    request.session[CHOSEN_BUILDING] = membership.household.building_id
    return redirect(membership.household.building)


@require_POST
def profile_update(request):
    form = ProfileForm(request.POST, request.FILES, instance=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been saved."))
        return redirect("buildings:me")
    messages.error(request, _("Please correct the errors below."))
    membership = active_membership(request.user)
    return render(
        request,
        "buildings/me.html",
        {
            "membership": membership,
            "profile_form": form,
            "past_memberships": [],
            "household_members": [],
        },
        status=400,
    )


@require_POST
def talents_update(request):
    membership = active_membership(request.user)
    if membership is None or not membership.is_approved:
        raise Http404
    return save_talents(request, membership, redirect_to="buildings:me")


def save_talents(request, resident, redirect_to, *args):
    form = TalentForm(request.POST)
    if form.is_valid():
        services.update_talents(
            resident=resident,
            skills=form.skill_list(),
            offer=form.cleaned_data["offer"],
            visibility=form.cleaned_data["talent_visibility"],
            actor=request.user,
        )
        messages.success(request, _("Skills and choices saved."))
    else:
        messages.error(
            request, " ".join(e for errs in form.errors.values() for e in errs)
        )
    return redirect(redirect_to, *args)


@never_cache
def my_data(request):
    """Download everything Louzu holds on me, as JSON."""
    data = privacy.export_user_data(request.user)
    response = JsonResponse(
        data, json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = 'attachment; filename="louzu-my-data.json"'
    return response


def leave(request):
    """Leave Louzu: the account is anonymised, contributions and counts stay."""
    form = LeaveForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        privacy.leave(user=request.user)
        logout(request)
        messages.success(
            request,
            _("You have left Louzu. Your name and phone number have been removed."),
        )
        return redirect("home")
    return render(request, "buildings/leave.html", {"form": form})


@require_POST
def public_display_update(request):
    """A resident chooses how they appear on public lists; it caps what a leader can show."""
    membership = active_membership(request.user)
    if membership is None or not membership.is_approved:
        raise Http404
    form = PublicDisplayForm(request.POST)
    if form.is_valid():
        membership.public_display = form.cleaned_data["public_display"]
        membership.save(update_fields=["public_display"])
        messages.success(request, _("Your choice has been saved."))
    else:
        messages.error(request, _("Please choose one of the options."))
    return redirect("buildings:me")
