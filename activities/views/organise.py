"""Organising an activity: creating and editing it, and the organiser's tools on the
day: the roster (check-in and attendance), signing up a resident without a phone
(代录), the printable sign-in sheet and the recap with photos."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from activities import permissions, services
from activities.forms import ActivityForm, ProxySignUpForm, RecapForm
from activities.models import Activity, Registration
from activities.views.common import _error
from buildings.permissions import ORGANISE, VIEW, get_access_or_404
from buildings.rooms import natural
from core.qr import qr_svg

# What the 403 page says, naming the rule that refused.
EDIT_REFUSAL = gettext_lazy(
    "Only the building leader or the self-governance team can change an activity."
)
RUN_REFUSAL = gettext_lazy(
    "Only the organiser, the building leader or the team can run this activity."
)


def create(request, building_pk):
    access = get_access_or_404(request.user, building_pk, ORGANISE)
    may_choose_community = permissions.can_create_community_wide(access)
    form = ActivityForm(
        request.POST or None,
        request.FILES or None,
        building=access.building,
        may_choose_community=may_choose_community,
    )
    if request.method == "POST" and form.is_valid():
        whole = may_choose_community and form.cleaned_data.get("whole_community")
        try:
            activity = services.create_activity(
                community=access.building.community,
                building=None if whole else access.building,
                created_by=request.user,
                **form.activity_fields(),
            )
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(request, _("The activity is published."))
            return redirect(activity.url_in(access.building.pk))
    return render(
        request,
        "activities/form.html",
        {"building": access.building, "form": form, "activity": None},
    )


def edit(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, ORGANISE)
    activity = permissions.get_activity_or_404(access, pk)
    if not permissions.can_edit_activity(access, activity):
        raise PermissionDenied(EDIT_REFUSAL)
    if activity.is_cancelled:  # its page keeps what was announced, and why it was off
        messages.error(request, _("This activity has begun or was cancelled already."))
        return redirect(activity)
    form = ActivityForm(
        request.POST or None,
        request.FILES or None,
        instance=activity,
        building=access.building,
    )
    if request.method == "POST" and form.is_valid():
        try:
            activity, promoted = services.update_activity(
                activity=Activity.objects.get(pk=activity.pk),
                actor=request.user,
                reason=form.cleaned_data["reason"],
                **form.activity_fields(),
            )
        except ValidationError as error:
            form.add_error(None, error.messages[0])
        else:
            messages.success(request, _("Saved."))
            if promoted:
                messages.info(
                    request,
                    _(
                        "%(count)s from the waiting list are now confirmed and have been told."
                    )
                    % {"count": len(promoted)},
                )
            return redirect(activity.url_in(access.building.pk))
    return render(
        request,
        "activities/form.html",
        {"building": access.building, "form": form, "activity": activity},
    )


def roster(request, building_pk, pk):
    """The organiser's phone list: check people in, see the waiting list."""
    access = get_access_or_404(request.user, building_pk, VIEW)
    activity = permissions.get_activity_or_404(access, pk)
    if not permissions.can_run_activity(access, activity):
        raise PermissionDenied(RUN_REFUSAL)
    registrations = activity.registrations.active().select_related(
        "household__building", "resident__household__building", "resident__user"
    )
    confirmed = [r for r in registrations if r.status == Registration.Status.CONFIRMED]
    waiting = [r for r in registrations if r.status == Registration.Status.WAITLISTED]
    proxy_form = None
    if permissions.can_register_others(access, activity):
        proxy_form = ProxySignUpForm(building=access.building)
    return render(
        request,
        "activities/roster.html",
        {
            "building": access.building,
            "activity": activity,
            "confirmed": confirmed,
            "waiting": waiting,
            "confirmed_people": sum(r.party_size for r in confirmed),
            "checked_in_count": sum(
                1
                for r in confirmed
                if r.attendance == Registration.Attendance.CHECKED_IN
            ),
            "proxy_form": proxy_form,
        },
    )


@require_POST
def attendance(request, building_pk, pk, registration_pk):
    access = get_access_or_404(request.user, building_pk, VIEW)
    activity = permissions.get_activity_or_404(access, pk)
    if not permissions.can_run_activity(access, activity):
        raise PermissionDenied(RUN_REFUSAL)
    registration = get_object_or_404(activity.registrations, pk=registration_pk)
    value = request.POST.get("attendance", "")
    if value not in Registration.Attendance.values:
        messages.error(request, _("Please choose checked in or did not come."))
    else:
        try:
            services.set_attendance(
                registration=registration, attendance=value, actor=request.user
            )
        except ValidationError as error:
            _error(request, error)
    return redirect(f"{activity_roster_url(access, activity)}#r{registration.pk}")


def activity_roster_url(access, activity) -> str:
    return reverse("activities:roster", args=[access.building.pk, activity.pk])


@require_POST
def register_for(request, building_pk, pk):
    """A leader signs up a resident without a phone (代录)."""
    access = get_access_or_404(request.user, building_pk, VIEW)
    activity = permissions.get_activity_or_404(access, pk)
    if not permissions.can_register_others(access, activity):
        raise PermissionDenied(_("Only the building leader can sign up someone else."))
    form = ProxySignUpForm(request.POST, building=access.building)
    if form.is_valid():
        try:
            registration = services.sign_up(
                activity=activity,
                resident=form.cleaned_data["resident"],
                adults=form.cleaned_data["adults"],
                children=form.cleaned_data["children"],
                actor=request.user,
            )
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(
                request,
                _("%(name)s is signed up (%(status)s).")
                % {
                    "name": registration.resident.name,
                    "status": registration.get_status_display(),
                },
            )
    else:
        messages.error(
            request, " ".join(e for errors in form.errors.values() for e in errors)
        )
    return redirect(activity_roster_url(access, activity))


def sheet(request, building_pk, pk):
    """Printable A4 sign-up / sign-in sheet with a QR code to the live page."""
    access = get_access_or_404(request.user, building_pk, VIEW)
    activity = permissions.get_activity_or_404(access, pk)
    if not permissions.can_run_activity(access, activity):
        raise PermissionDenied(RUN_REFUSAL)
    confirmed = list(
        activity.registrations.confirmed()
        .select_related("household__building", "resident__household__building")
        .order_by(*natural("household__room"), "pk")
    )
    blank_rows = range(
        max(5, min(20, activity.capacity - sum(r.party_size for r in confirmed)))
    )
    return render(
        request,
        "activities/sheet.html",
        {
            "building": access.building,
            "activity": activity,
            "confirmed": confirmed,
            "blank_rows": blank_rows,
            "qr": qr_svg(settings.SITE_URL + activity.get_absolute_url(), scale=4),
            "printed_at": timezone.now(),
        },
    )


def recap(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, VIEW)
    activity = permissions.get_activity_or_404(access, pk)
    if not permissions.can_run_activity(access, activity):
        raise PermissionDenied(RUN_REFUSAL)
    form = RecapForm(
        request.POST or None, request.FILES or None, initial={"recap": activity.recap}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.add_recap(
                activity=activity,
                actor=request.user,
                recap=form.cleaned_data["recap"],
                photo=form.cleaned_data["photo"],
                caption=form.cleaned_data["caption"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages[0])
        else:
            messages.success(request, _("The recap is saved."))
            return redirect(activity.url_in(access.building.pk))
    return render(
        request,
        "activities/recap.html",
        {
            "building": access.building,
            "activity": activity,
            "form": form,
            "photos": activity.photos.all(),
        },
    )
