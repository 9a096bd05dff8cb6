"""Joining a building: the request (community, building, room) and the leader's side,
deciding requests and unlocking a locked-out phone."""

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import (
    ValidationError,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from buildings import services
from buildings.forms import (
    JoinForm,
    RejectForm,
)
from buildings.models import Community, Resident
from buildings.permissions import (
    MANAGE,
    get_access_or_404,
)
from buildings.phones import MOBILE_RE, normalize_phone


def join_start(request):
    """Choose the community, then the building and room."""
    communities = list(Community.objects.all())
    if len(communities) == 1:
        return redirect("buildings:join", communities[0].pk)
    return render(request, "buildings/join_start.html", {"communities": communities})


def join(request, community_pk):
    community = get_object_or_404(Community, pk=community_pk)
    form = JoinForm(
        request.POST or None, community=community, initial={"name": request.user.name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.request_to_join(
                user=request.user,
                building=form.cleaned_data["building"],
                room=form.cleaned_data["room"],
                name=form.cleaned_data["name"],
                is_adult=form.cleaned_data["is_adult"],
            )
        except ValidationError as error:
            form.add_error("room", error.messages[0])
        else:
            messages.success(
                request,
                _(
                    "Your request has been sent. Your building leader will check it soon."
                ),
            )
            return redirect("buildings:me")
    return render(
        request, "buildings/join.html", {"community": community, "form": form}
    )


def join_requests(request, pk):
    access = get_access_or_404(request.user, pk, MANAGE)
    pending = (
        Resident.objects.pending()
        .in_building(access.building)
        .select_related("household", "user")
    )
    decided = (
        Resident.objects.in_building(access.building)
        .filter(
            status__in=[Resident.Status.APPROVED, Resident.Status.REJECTED],
            decided_at__isnull=False,
        )
        .select_related("household", "decided_by")
        .order_by("-decided_at")[:20]
    )
    phones = (
        Resident.objects.in_building(access.building)
        .filter(user__isnull=False)
        .values("user__phone")
    )
    locked = AccessAttempt.objects.filter(
        username__in=phones, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    ).values_list("username", flat=True)
    return render(
        request,
        "buildings/join_requests.html",
        {
            "building": access.building,
            "pending": pending,
            "decided": decided,
            "reject_form": RejectForm(),
            "locked_phones": sorted(set(locked)),
        },
    )


@require_POST
def decide_join(request, pk, resident_pk, decision):
    access = get_access_or_404(request.user, pk, MANAGE)
    resident = get_object_or_404(
        Resident.objects.in_building(access.building), pk=resident_pk
    )
    approve = decision == "approve"
    reason = ""
    if not approve:
        form = RejectForm(request.POST)
        if not form.is_valid():
            messages.error(
                request, _("Please give a reason, so the person knows what to do next.")
            )
            return redirect("buildings:join-requests", pk)
        reason = form.cleaned_data["reason"]
    try:
        services.decide_join_request(
            resident=resident, decided_by=request.user, approve=approve, reason=reason
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        if approve:
            messages.success(
                request,
                _("%(name)s has joined the building.") % {"name": resident.name},
            )
        else:
            messages.success(
                request,
                _("The request from %(name)s was declined.") % {"name": resident.name},
            )
    return redirect("buildings:join-requests", pk)


@require_POST
def unlock_phone(request, pk):
    access = get_access_or_404(request.user, pk, MANAGE)
    phone = normalize_phone(request.POST.get("phone", ""))
    belongs = MOBILE_RE.match(phone) and (
        Resident.objects.in_building(access.building).filter(user__phone=phone).exists()
    )
    if not belongs:
        messages.error(
            request, _("That phone number does not belong to this building.")
        )
    else:
        axes_reset(username=phone)
        messages.success(request, _("%(phone)s can log in again.") % {"phone": phone})
    return redirect("buildings:join-requests", pk)
