from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from activities import hours, permissions, services
from activities.forms import (
    ActivityForm,
    ProxySignUpForm,
    RecapForm,
    SignUpForm,
    SwapForm,
    TaskForm,
)
from activities.ics import activity_ics
from activities.models import Activity, Registration, Shift
from buildings.models import ChangeNote, Community, Resident
from buildings.permissions import (
    MANAGE,
    ORGANISE,
    PARTICIPATE,
    VIEW,
    active_membership,
    get_access_or_404,
    is_staff_for,
    memberships_of,
)
from buildings.rooms import natural
from buildings.services import wechat_text
from core.pagecache import cached_page
from core.qr import qr_svg
from core.templatetags.words import when as format_when

# What the 403 page says, naming the rule that refused.
EDIT_REFUSAL = gettext_lazy(
    "Only the building leader or the self-governance team can change an activity."
)
RUN_REFUSAL = gettext_lazy(
    "Only the organiser, the building leader or the team can run this activity."
)
RESIDENTS_ONLY = gettext_lazy("Only residents of this building can do this.")


def _error(request, error: ValidationError) -> None:
    messages.error(request, error.messages[0])


# --- activities -------------------------------------------------------------------------


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
        "seats_left": max(activity.capacity - counts["confirmed_people"], 0),
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


def calendar(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, VIEW)
    activity = permissions.get_activity_or_404(access, pk)
    body = activity_ics(activity, settings.SITE_URL + activity.get_absolute_url())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="activity-{activity.pk}.ics"'
    )
    return response


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


# --- volunteer tasks, shifts and hours -------------------------------------------------------


def tasks(request, building_pk):
    access = get_access_or_404(request.user, building_pk, VIEW)
    upcoming = (
        Shift.objects.upcoming().select_related("volunteer").order_by("starts_at", "pk")
    )
    task_list = access.building.tasks.prefetch_related(
        Prefetch("shifts", queryset=upcoming, to_attr="upcoming_shifts")
    )
    my_shifts = []
    if access.resident is not None:
        my_shifts = (
            Shift.objects.upcoming()
            .filter(volunteer=access.resident, task__building=access.building)
            .select_related("task")
        )
    year = timezone.localdate().year
    return render(
        request,
        "activities/tasks.html",
        {
            "building": access.building,
            "tasks": task_list,
            "my_shifts": my_shifts,
            "year": year,
            "building_hours": hours.building_total(access.building, year),
            "can_create": permissions.can_manage_tasks(access),
        },
    )


def task_create(request, building_pk):
    access = get_access_or_404(request.user, building_pk, ORGANISE)
    form = TaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task = services.create_task(
                building=access.building,
                created_by=request.user,
                kind=data["kind"],
                title=data["title"],
                description=data["description"],
                place=data["place"],
                first_starts_at=data["first_starts_at"],
                duration_minutes=data["duration_minutes"],
                repeat_weeks=data["repeat_weeks"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages[0])
        else:
            messages.success(
                request,
                _(
                    "The task and its shifts are ready. Neighbours can raise a hand now."
                ),
            )
            return redirect(task)
    return render(
        request,
        "activities/task_form.html",
        {"building": access.building, "form": form},
    )


def task_detail(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, VIEW)
    task = permissions.get_task_or_404(access, pk)
    now = timezone.now()
    shifts = list(
        task.shifts.filter(ends_at__gte=now - timedelta(days=14))
        .select_related("volunteer__household")
        .order_by("starts_at", "pk")[:60]
    )
    my_future = []
    if access.resident is not None:
        my_future = [
            s
            for s in shifts
            if s.volunteer_id == access.resident.pk
            and s.starts_at > now
            and not s.is_done
        ]
    for shift in shifts:
        shift.is_mine = (
            access.resident is not None and shift.volunteer_id == access.resident.pk
        )
        shift.is_future = shift.starts_at > now
    swap_form = (
        SwapForm(shifts=task.shifts.filter(pk__in=[s.pk for s in my_future]))
        if my_future
        else None
    )
    return render(
        request,
        "activities/task_detail.html",
        {
            "building": access.building,
            "task": task,
            "shifts": shifts,
            "swap_form": swap_form,
            "can_take": permissions.can_take_shifts(access),
            "can_manage": permissions.can_manage_tasks(access),
        },
    )


def _shift_action(request, building_pk, shift_pk, level=PARTICIPATE):
    access = get_access_or_404(request.user, building_pk, level)
    return access, permissions.get_shift_or_404(access, shift_pk)


def _run(request, action, success_message):
    try:
        action()
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, success_message)


@require_POST
def shift_claim(request, building_pk, shift_pk):
    access, shift = _shift_action(request, building_pk, shift_pk)
    if not permissions.can_take_shifts(access):
        raise PermissionDenied(RESIDENTS_ONLY)
    _run(
        request,
        lambda: services.claim_shift(shift=shift, resident=access.resident),
        _("Thank you! The shift is yours."),
    )
    return redirect(shift.task)


@require_POST
def shift_release(request, building_pk, shift_pk):
    access, shift = _shift_action(request, building_pk, shift_pk)
    if not permissions.holds_shift(access, shift):
        raise PermissionDenied(_("Only the volunteer on this shift can do this."))
    _run(
        request,
        lambda: services.release_shift(shift=shift, resident=access.resident),
        _("The shift is free again."),
    )
    return redirect(shift.task)


@require_POST
def shift_offer_swap(request, building_pk, shift_pk):
    access, shift = _shift_action(request, building_pk, shift_pk)
    if not permissions.holds_shift(access, shift):
        raise PermissionDenied(_("Only the volunteer on this shift can do this."))
    wanted = request.POST.get("wanted") != "0"
    _run(
        request,
        lambda: services.offer_swap(
            shift=shift, resident=access.resident, wanted=wanted
        ),
        _("Neighbours can now swap with you.")
        if wanted
        else _("The swap offer is withdrawn."),
    )
    return redirect(shift.task)


@require_POST
def shift_swap(request, building_pk, shift_pk):
    access, shift = _shift_action(request, building_pk, shift_pk)
    if not permissions.can_take_shifts(access):
        raise PermissionDenied(RESIDENTS_ONLY)
    form = SwapForm(
        request.POST,
        shifts=Shift.objects.filter(task=shift.task, volunteer=access.resident),
    )
    if not form.is_valid():
        messages.error(request, _("Please choose one of your own shifts of this task."))
        return redirect(shift.task)
    _run(
        request,
        lambda: services.swap_shifts(
            wanted=shift, mine=form.cleaned_data["mine"], resident=access.resident
        ),
        _("Swapped. Your neighbour has been told."),
    )
    return redirect(shift.task)


@require_POST
def shift_done(request, building_pk, shift_pk):
    access, shift = _shift_action(request, building_pk, shift_pk, ORGANISE)
    done = request.POST.get("done") != "0"
    _run(
        request,
        lambda: services.mark_shift_done(shift=shift, actor=request.user, done=done),
        _("Marked as done.") if done else _("No longer marked as done."),
    )
    return redirect(shift.task)


def my_hours(request, building_pk):
    """A resident's own volunteer hours for one year; printable as a statement."""
    access = get_access_or_404(request.user, building_pk, VIEW)
    if access.resident is None:
        raise PermissionDenied(RESIDENTS_ONLY)
    return _hours_page(request, access, access.resident)


def resident_hours(request, building_pk, resident_pk):
    """A leader prints the statement for a resident (for example one without a phone)."""
    access = get_access_or_404(request.user, building_pk, MANAGE)
    resident = get_object_or_404(
        Resident.objects.approved()
        .in_building(access.building)
        .select_related("household"),
        pk=resident_pk,
    )
    return _hours_page(request, access, resident)


def _hours_page(request, access, resident):
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        year = this_year
    if not 2000 <= year <= this_year + 1:
        year = this_year
    entries = hours.entries_for(resident, year)
    return render(
        request,
        "activities/hours.html",
        {
            "building": access.building,
            "resident": resident,
            "year": year,
            "years": range(this_year, this_year - 5, -1),
            "entries": entries,
            "total": hours.total(entries),
            "printed_at": timezone.now(),
        },
    )
