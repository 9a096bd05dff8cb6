"""The activity pages residents use: the building's list, one activity's page (through
the page cache, with the person's own part rendered fresh), signing up and cancelling
a sign-up, the .ics file, and the shared link of a community-wide activity."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities import permissions, services
from activities.forms import SignUpForm
from activities.ics import activity_ics
from activities.models import Activity, Registration
from activities.views.common import RESIDENTS_ONLY, _error
from buildings.models import ChangeNote, Community
from buildings.permissions import (
    PARTICIPATE,
    VIEW,
    active_membership,
    get_access_or_404,
    is_staff_for,
    memberships_of,
)
from buildings.services import wechat_text
from core.pagecache import cached_page
from core.templatetags.words import when as format_when


def index(request, building_pk):
    """The activities a resident of the building can see, upcoming first."""
    access = get_access_or_404(request.user, building_pk, VIEW)
    activities = Activity.objects.visible_in(access.building).select_related("building")
    upcoming = list(activities.with_counts().upcoming()[:50])
    past = list(activities.past()[:20])  # shown without counts: none summed
    mine = {}
    if access.resident is not None:
        mine = {
            r.activity_id: r
            for r in Registration.objects.active().filter(
                resident=access.resident, activity__in=[a.pk for a in upcoming]
            )
        }
    for activity in upcoming:
        activity.my_registration = mine.get(activity.pk)
    return render(
        request,
        "activities/index.html",
        {
            "building": access.building,
            "upcoming": upcoming,
            "past": past,
            "can_create": access.can_organise,
        },
    )


def _my_registration(activity_id, resident_id):
    ahead = (
        Registration.objects.waitlisted()
        .filter(activity_id=OuterRef("activity_id"), pk__lte=OuterRef("pk"))
        .order_by()
        .values("activity_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Registration.objects.active()
        .filter(activity_id=activity_id, resident_id=resident_id)
        .annotate(waiting_position=Subquery(ahead))
    )


def _household_registrations(activity_id, household_id, resident_id):
    """The other active sign-ups of the person's household (one quota per household)."""
    return list(
        Registration.objects.active()
        .filter(activity_id=activity_id, household_id=household_id)
        .exclude(resident_id=resident_id)
        .select_related("resident")
        .order_by("pk")
    )


def _visible_with_counts(building, pk):
    return Activity.objects.visible_in(building).with_counts().filter(pk=pk).first()


def _detail_personal(
    request, building_pk, pk, *, access=None, activity=None, form=None
):
    """The activity page's own part for this person: their sign-up, the form, and the
    organiser's buttons."""
    if access is None:
        access = get_access_or_404(request.user, building_pk, VIEW)
    if activity is None:  # a hit: only ids are needed, no related rows
        activity = _visible_with_counts(access.building, pk)
        if activity is None:
            raise Http404
    elif not hasattr(activity, "confirmed_people"):
        counted = _visible_with_counts(access.building, activity.pk)
        activity.confirmed_people = counted.confirmed_people
        activity.waitlisted_count = counted.waitlisted_count
    counts = {
        "confirmed_people": activity.confirmed_people,
        "waitlisted_count": activity.waitlisted_count,
    }
    mine = None
    position = None
    if access.resident is not None:
        # The place on the waiting list comes in the same query (one query either way).
        mine = _my_registration(
            activity_id=activity.pk, resident_id=access.resident.pk
        ).first()
        if mine is not None and mine.status == Registration.Status.WAITLISTED:
            position = mine.waiting_position
    household = _household_places(activity, access.resident)
    return {
        **household,
        "building": access.building,
        "activity": activity,
        "counts": counts,
        "seats_left": activity.places_left,
        "mine": mine,
        "position": position,
        "form": form or SignUpForm(),
        "signup_open": activity.signup_open(),
        "can_sign_up": permissions.can_sign_up(access),
        "can_edit": permissions.can_edit_activity(access, activity)
        and not activity.is_cancelled,
        "can_cancel": permissions.can_cancel_activity(access, activity),
        "can_run": permissions.can_run_activity(access, activity),
    }


def _household_places(activity, resident) -> dict:
    """What the rest of the household signed up for, and what its quota still allows,
    so no one is shown a form the household quota would refuse."""
    if resident is None:
        return {"household_signups": [], "household_full": False, "places_left": None}
    others = _household_registrations(
        activity_id=activity.pk,
        household_id=resident.household_id,
        resident_id=resident.pk,
    )
    adults = children = None
    if activity.max_adults_per_household is not None:
        taken = sum(r.adults for r in others)
        adults = max(activity.max_adults_per_household - taken, 0)
    if activity.max_children_per_household is not None:
        taken = sum(r.children for r in others)
        children = max(activity.max_children_per_household - taken, 0)
    return {
        "household_signups": others,
        "household_full": adults == 0 and children == 0,
        "places_left": {"adults": adults, "children": children}
        if others and (adults is not None or children is not None)
        else None,
    }


@cached_page(personal=_detail_personal)
def detail(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, VIEW)
    activity = permissions.get_activity_or_404(access, pk)
    context = _detail_context(request, access, activity)
    return render(request, "activities/detail.html", context)


def _detail_context(request, access, activity, form=None):
    mine = _detail_personal(
        request,
        access.building.pk,
        activity.pk,
        access=access,
        activity=activity,
        form=form,
    )
    counts = mine["counts"]
    url = settings.SITE_URL + activity.get_absolute_url()
    body = _("%(when)s, %(place)s. %(text)s") % {
        "when": format_when(activity.starts_at, "exact"),
        "place": activity.place,
        "text": activity.text,
    }
    return {
        **mine,
        "confirmed_people": counts["confirmed_people"],
        "waitlisted_count": counts["waitlisted_count"],
        "percent_full": min(100, counts["confirmed_people"] * 100 // activity.capacity),
        "photos": activity.photos.all(),
        "notes": list(ChangeNote.objects.about(activity)),
        "wechat_text": wechat_text(
            heading=_("Activity"), title=activity.title, body=body, url=url
        ),
    }


@require_POST
def sign_up(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, PARTICIPATE)
    activity = permissions.get_activity_or_404(access, pk)
    if not permissions.can_sign_up(access):
        raise PermissionDenied(RESIDENTS_ONLY)
    form = SignUpForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, " ".join(e for errors in form.errors.values() for e in errors)
        )
        return render(
            request,
            "activities/detail.html",
            _detail_context(request, access, activity, form),
            status=400,
        )
    try:
        registration = services.sign_up(
            activity=activity,
            resident=access.resident,
            adults=form.cleaned_data["adults"],
            children=form.cleaned_data["children"],
        )
    except ValidationError as error:
        _error(request, error)
    else:
        if registration.status == Registration.Status.CONFIRMED:
            messages.success(request, _("You are signed up. See you there!"))
        else:
            messages.warning(
                request,
                _(
                    "The activity is full, so you are on the waiting list. We will tell you when a seat comes free."
                ),
            )
    return redirect(activity.url_in(access.building.pk))


@require_POST
def cancel(request, building_pk, pk, registration_pk):
    access = get_access_or_404(request.user, building_pk, PARTICIPATE)
    activity = permissions.get_activity_or_404(access, pk)
    registration = get_object_or_404(
        activity.registrations.select_related("resident__user"), pk=registration_pk
    )
    if not permissions.can_cancel(access, registration, activity):
        raise Http404  # someone else's sign-up: do not reveal it exists
    try:
        was_waiting = registration.status == Registration.Status.WAITLISTED
        services.cancel_registration(registration=registration, actor=request.user)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(
            request,
            _("You have left the waiting list.")
            if was_waiting
            else _("The sign-up is cancelled."),
        )
    if permissions.can_run_activity(
        access, activity
    ) and registration.resident_id != getattr(access.resident, "pk", None):
        return redirect("activities:roster", access.building.pk, activity.pk)
    return redirect(activity.url_in(access.building.pk))


def calendar(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, VIEW)
    activity = permissions.get_activity_or_404(access, pk)
    body = activity_ics(activity, settings.SITE_URL + activity.get_absolute_url())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="activity-{activity.pk}.ics"'
    )
    return response


def community_detail(request, community_pk, pk):
    """The shared link of a community-wide activity: each resident lands in their own building."""
    activity = get_object_or_404(
        Activity, community_id=community_pk, pk=pk, building__isnull=True
    )
    memberships = [m for m in memberships_of(request.user) if m.is_approved]
    current = active_membership(request.user)
    if current in memberships:  # "my building" first, then any other of mine there
        memberships.insert(0, current)
    for membership in memberships:
        building = membership.household.building
        if building.community_id == community_pk:
            return redirect(activity.url_in(building.pk))
    if is_staff_for(request.user, community_pk):
        first = (
            get_object_or_404(Community, pk=community_pk)
            .buildings.order_by("pk")
            .first()
        )
        if first is not None:
            return redirect(activity.url_in(first.pk))
    raise Http404
