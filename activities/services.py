"""Writes for activities and volunteer shifts.

Longer than 500 lines on purpose: every write that can move a seat or a shift (sign up,
cancel, promote from the waiting list; claim, release, swap a shift) locks its row first
and keeps to the first-come rule below; one module keeps those writes together.

Seats are scarce: every write that can change who holds a seat locks the activity row
first (core.races.locked), counts confirmed people (party sizes) inside the
transaction and only then writes. The waiting list is ordered by registration id,
which is safe because registrations are only created while the activity row is locked.
Promotion is strictly first come, first served: when the head of the list does not
fit into the free seats, nobody behind them jumps the queue.
"""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from activities.models import (
    PARTY,
    Activity,
    RecapPhoto,
    Registration,
    Shift,
    Task,
    free_places,
)
from buildings import changes
from buildings.models import Building, Community, Resident, User
from buildings.notify import At, Message, notify, notify_many
from buildings.services import record_proxy_act
from core.races import locked, pause, set_lock_timeout

MAX_PARTY = 10
MAX_SHIFTS_AT_ONCE = 52
MAX_RECAP_PHOTOS = 12


def _lock_activity(activity: Activity) -> Activity:
    set_lock_timeout()
    return locked(Activity.objects.filter(pk=activity.pk)).get()


def _lock_membership(resident: Resident) -> str:
    """Lock the resident's own row, before the activity's or the shift's (the lock
    order in core.races), and return their status as it is now.

    Being marked moved out, or leaving, locks the same row first and then gives back
    what the resident holds: a sign-up or a shift taken at that moment is either seen
    and given back, or finds the resident gone and is refused."""
    set_lock_timeout()
    return (
        locked(Resident.objects.filter(pk=resident.pk))
        .values_list("status", flat=True)
        .get()
    )


def _activity_link(activity: Activity, resident: Resident) -> str:
    """The activity as the resident sees it, from their own building."""
    return activity.url_in(resident.household.building_id)


@transaction.atomic
def create_activity(
    *, community: Community, building: Building | None, created_by: User, **fields
) -> Activity:
    """Create an activity for one building, or for the whole community when building is None."""
    activity = Activity(
        community=community, building=building, created_by=created_by, **fields
    )
    activity.full_clean()
    activity.save()
    return activity


@transaction.atomic
def update_activity(
    *, activity: Activity, actor: User, reason: str | None = None, **fields
) -> tuple[Activity, list[Registration]]:
    """Edit an activity; capacity may rise (promoting from the list) but never fall below those confirmed.

    A leader's edit from the page carries a reason, kept as a line of the activity's
    visible history (buildings.changes)."""
    if reason is not None:
        reason = changes.clean_reason(reason)
    activity = _lock_activity(activity)
    if activity.is_cancelled:  # cancelled while the form was open
        raise ValidationError(_("This activity has begun or was cancelled already."))
    confirmed = activity.registrations.confirmed_people()
    new_capacity = fields.get("capacity", activity.capacity)
    if new_capacity < confirmed:
        raise ValidationError(
            _(
                "%(confirmed)s people are already confirmed, so the capacity cannot be lower than "
                "%(confirmed)s. Ask people to cancel first."
            )
            % {"confirmed": confirmed}
        )
    before = (activity.starts_at, activity.ends_at, activity.place)
    for name, value in fields.items():
        setattr(activity, name, value)
    activity.full_clean()
    activity.save()
    promoted = _promote(activity)
    if reason is not None:
        changes.record_change(
            obj=activity, by=actor, reason=reason, building=activity.building
        )
    if (activity.starts_at, activity.ends_at, activity.place) != before:
        _tell_of_change(activity, promoted)
    return activity, promoted


@transaction.atomic
def cancel_activity(*, activity: Activity, by: User, reason: str) -> int:
    """Call an activity off with a reason; everyone signed up or waiting is told.

    Their sign-ups stay as they were, so the page shows who had come forward; a
    check-in taken that morning is undone (nobody came to what was not held)."""
    reason = changes.clean_reason(reason)
    activity = _lock_activity(activity)
    if activity.has_started():
        raise ValidationError(_("This activity has already started."))
    changes.cancel(obj=activity, by=by, reason=reason, building=activity.building)
    # Check-in opens on the day: one taken before the call-off was for nothing held.
    activity.registrations.filter(attendance=Registration.Attendance.CHECKED_IN).update(
        attendance=Registration.Attendance.UNKNOWN, checked_in_at=None
    )
    registrations = activity.registrations.filter(
        status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITLISTED]
    ).select_related("resident__user", "resident__household")
    told = 0
    for building_id, group in _by_building(registrations).items():
        told += notify_many(
            recipients=[registration.resident.user for registration in group],
            kind="activity_cancelled",
            text=Message(
                gettext_noop("“%(activity)s” (%(when)s) is cancelled: %(reason)s"),
                activity=activity.title,
                when=At(activity.starts_at, "when"),
                reason=reason,
            ),
            link=activity.url_in(building_id),
        )
    return told


def _by_building(registrations) -> dict:
    groups = {}
    for registration in registrations:
        groups.setdefault(registration.resident.household.building_id, []).append(
            registration
        )
    return groups


def _tell_of_change(activity: Activity, promoted: list[Registration]) -> None:
    """Everyone signed up or waiting hears the new time and place (the promoted heard already)."""
    told = {registration.pk for registration in promoted}
    people = [
        registration.resident.user
        for registration in activity.registrations.filter(
            status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITLISTED]
        ).select_related("resident__user")
        if registration.pk not in told
    ]
    notify_many(
        recipients=people,
        kind="activity_changed",
        text=Message(
            gettext_noop("“%(activity)s” has changed: now %(when)s, at %(place)s."),
            activity=activity.title,
            when=At(activity.starts_at, "when"),
            place=activity.place,
        ),
        link=activity.get_absolute_url(),
    )


@transaction.atomic
def sign_up(
    *,
    activity: Activity,
    resident: Resident,
    adults: int,
    children: int,
    actor: User | None = None,
) -> Registration:
    """Sign a resident up: confirmed when seats are free, otherwise onto the waiting list."""
    if adults < 0 or children < 0 or adults + children < 1:
        raise ValidationError(_("Please sign up at least one person."))
    if adults + children > MAX_PARTY:
        raise ValidationError(
            _(
                "At most %(max)s people can sign up together. Ask the organiser about a larger group."
            )
            % {"max": MAX_PARTY}
        )
    status = _lock_membership(resident)
    activity = _lock_activity(activity)
    now = timezone.now()
    if activity.is_cancelled:
        raise ValidationError(
            _("This activity was cancelled: %(reason)s")
            % {"reason": activity.cancel_reason}
        )
    if activity.has_started(now):
        raise ValidationError(
            _("This activity has already started; sign-up is closed.")
        )
    if not activity.signup_open(now):
        raise ValidationError(_("The sign-up deadline has passed."))
    if status != Resident.Status.APPROVED:
        raise ValidationError(_("Only approved residents can sign up."))
    building = resident.household.building
    if (
        activity.building_id not in (None, building.pk)
        or activity.community_id != building.community_id
    ):
        raise ValidationError(_("This activity is not open to your building."))
    active = activity.registrations.active()
    if active.filter(resident=resident).exists():
        raise ValidationError(_("You have already signed up for this activity."))
    if activity.has_quota:
        _check_quota(activity, resident, adults, children)
    confirmed = active.filter(status=Registration.Status.CONFIRMED).aggregate(
        n=Coalesce(Sum(PARTY), 0)
    )["n"]
    waiting = active.filter(status=Registration.Status.WAITLISTED).count()
    pause()  # test-only: widen the gap between counting and writing
    fits = adults + children <= free_places(activity.capacity, confirmed, waiting)
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                activity=activity,
                resident=resident,
                household=resident.household,
                adults=adults,
                children=children,
                status=Registration.Status.CONFIRMED
                if fits
                else Registration.Status.WAITLISTED,
                confirmed_at=now if fits else None,
                registered_by=actor,
            )
    except IntegrityError as exc:  # a double tap that slipped past the check
        raise ValidationError(
            _("You have already signed up for this activity.")
        ) from exc
    if actor is not None and actor != resident.user:
        record_proxy_act(
            resident=resident,
            actor=actor,
            action=Message(
                gettext_noop("Signed up for %(activity)s"), activity=activity.title
            ),
            link=_activity_link(activity, resident),
        )
    return registration


def _check_quota(
    activity: Activity, resident: Resident, adults: int, children: int
) -> None:
    """Per-household limits count every active registration of the household."""
    taken = (
        activity.registrations.active()
        .filter(household=resident.household)
        .aggregate(
            adults=Coalesce(Sum("adults"), 0), children=Coalesce(Sum("children"), 0)
        )
    )
    limit = activity.max_adults_per_household
    if limit is not None and taken["adults"] + adults > limit:
        raise ValidationError(
            _(
                "Each household may bring at most %(limit)s adults; your household has %(taken)s "
                "signed up already."
            )
            % {"limit": limit, "taken": taken["adults"]}
        )
    limit = activity.max_children_per_household
    if limit is not None and taken["children"] + children > limit:
        raise ValidationError(
            _(
                "Each household may bring at most %(limit)s children; your household has %(taken)s "
                "signed up already."
            )
            % {"limit": limit, "taken": taken["children"]}
        )


def _promote(activity: Activity) -> list[Registration]:
    """Fill free seats from the waiting list, in order; call with the activity row locked."""
    free = activity.capacity - activity.registrations.confirmed_people()
    promoted = []
    now = timezone.now()
    for registration in activity.registrations.waitlisted().select_related(
        "resident__user", "resident__household"
    ):
        if registration.party_size > free:
            break  # first come, first served: nobody jumps the queue
        registration.status = Registration.Status.CONFIRMED
        registration.confirmed_at = now
        registration.save(update_fields=["status", "confirmed_at"])
        free -= registration.party_size
        promoted.append(registration)
        notify(
            recipient=registration.resident.user,
            kind="waitlist_promoted",
            text=Message(
                gettext_noop(
                    "Good news: a seat came free. You are now confirmed for %(activity)s (%(when)s)."
                ),
                activity=activity.title,
                when=At(activity.starts_at, "when"),
            ),
            link=_activity_link(activity, registration.resident),
        )
    return promoted


@transaction.atomic
def cancel_registration(
    *, registration: Registration, actor: User
) -> list[Registration]:
    """Cancel a sign-up or leave the waiting list; the next in line are promoted and told."""
    activity = _lock_activity(registration.activity)
    registration = Registration.objects.select_related("resident__household").get(
        pk=registration.pk
    )
    if not registration.is_active:
        raise ValidationError(_("This sign-up was already cancelled."))
    if activity.has_started():
        raise ValidationError(
            _("The activity has already started; please tell the organiser instead.")
        )
    was_confirmed = registration.status == Registration.Status.CONFIRMED
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    if actor != registration.resident.user:
        record_proxy_act(
            resident=registration.resident,
            actor=actor,
            action=Message(
                gettext_noop("Cancelled the sign-up for %(activity)s"),
                activity=activity.title,
            ),
        )
    return _promote(activity) if was_confirmed else []


def give_back_commitments(*, residents, by: User) -> None:
    """What residents promised and have not yet done is given back, when they leave the
    app or staff mark them as gone from their building.

    Their sign-ups to activities not yet started are cancelled by `by` (the waiting list
    moves up and those promoted are told), and their shifts not yet started are open
    again. What they already did stays:
    attendance, shifts done and volunteer hours.
    """
    now = timezone.now()
    for registration in Registration.objects.active().filter(
        resident__in=residents,
        activity__starts_at__gt=now,
        activity__cancelled_at__isnull=True,
    ):
        try:
            cancel_registration(registration=registration, actor=by)
        except ValidationError:
            pass  # cancelled meanwhile (a second click on "leave"), or just started
    for shift in Shift.objects.filter(
        volunteer__in=residents, starts_at__gt=now, done_at__isnull=True
    ).select_related("volunteer"):
        try:
            release_shift(shift=shift, resident=shift.volunteer)
        except ValidationError:
            pass  # given back meanwhile, or just started


@transaction.atomic
def set_attendance(
    *, registration: Registration, attendance: str, actor: User
) -> Registration:
    """Check a confirmed person in, or record that they did not come."""
    if attendance not in Registration.Attendance.values:
        raise ValidationError(_("Unknown attendance."))
    # Same lock order as sign-ups and cancellations: the activity, then the registration.
    activity = _lock_activity(registration.activity)
    registration = locked(Registration.objects.filter(pk=registration.pk)).get()
    if activity.is_cancelled:
        # Its sign-ups stay confirmed, but nobody came to an activity called off.
        raise ValidationError(
            _("This activity was cancelled: %(reason)s")
            % {"reason": activity.cancel_reason}
        )
    if registration.status != Registration.Status.CONFIRMED:
        raise ValidationError(_("Only confirmed people can be checked in."))
    today = timezone.localdate()
    if today < timezone.localtime(activity.starts_at).date():
        raise ValidationError(_("Check-in opens on the day of the activity."))
    if attendance == Registration.Attendance.NO_SHOW and not activity.has_started():
        raise ValidationError(
            _("A no-show can only be recorded once the activity has started.")
        )
    registration.attendance = attendance
    registration.checked_in_at = (
        timezone.now() if attendance == Registration.Attendance.CHECKED_IN else None
    )
    registration.save(update_fields=["attendance", "checked_in_at"])
    return registration


@transaction.atomic
def add_recap(
    *, activity: Activity, actor: User, recap: str, photo=None, caption: str = ""
) -> Activity:
    """After the activity: a short recap and photos."""
    if not activity.has_started():
        raise ValidationError(_("A recap can be added once the activity has started."))
    activity = _lock_activity(activity)
    activity.recap = recap.strip()
    activity.save(update_fields=["recap", "updated_at"])
    if photo is not None:
        if activity.photos.count() >= MAX_RECAP_PHOTOS:
            raise ValidationError(
                _("An activity can have at most %(max)s photos.")
                % {"max": MAX_RECAP_PHOTOS}
            )
        RecapPhoto.objects.create(
            activity=activity, image=photo, caption=caption.strip(), uploaded_by=actor
        )
    return activity


# --- volunteer tasks and shifts -------------------------------------------------------


@transaction.atomic
def create_task(
    *,
    building: Building,
    created_by: User,
    kind: str,
    title: str,
    description: str = "",
    place: str = "",
    first_starts_at: datetime,
    duration_minutes: int,
    repeat_weeks: int = 1,
) -> Task:
    """A task with weekly shifts (one per week, repeat_weeks of them)."""
    if not 1 <= repeat_weeks <= MAX_SHIFTS_AT_ONCE:
        raise ValidationError(
            _("Between 1 and %(max)s weeks, please.") % {"max": MAX_SHIFTS_AT_ONCE}
        )
    if duration_minutes < 1:
        raise ValidationError(_("A shift must last at least a minute."))
    task = Task.objects.create(
        building=building,
        created_by=created_by,
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        place=place.strip(),
    )
    add_shifts(
        task=task,
        first_starts_at=first_starts_at,
        duration_minutes=duration_minutes,
        weeks=repeat_weeks,
    )
    return task


def add_shifts(
    *, task: Task, first_starts_at: datetime, duration_minutes: int, weeks: int
) -> list[Shift]:
    """Weekly shifts at the same local time (so a DST-free Shanghai week is 7 days)."""
    duration = timedelta(minutes=duration_minutes)
    try:
        first_starts_at + timedelta(weeks=weeks) + duration
    except OverflowError:  # past the year 9999, the last date Python knows
        raise ValidationError(
            _("That date is too far ahead. Please check the year.")
        ) from None
    return Shift.objects.bulk_create(
        Shift(
            task=task,
            starts_at=first_starts_at + timedelta(weeks=week),
            ends_at=first_starts_at + timedelta(weeks=week) + duration,
        )
        for week in range(weeks)
    )


def _lock_shift(shift: Shift) -> Shift:
    set_lock_timeout()
    # No select_related: PostgreSQL cannot lock the nullable side of an outer join.
    return locked(Shift.objects.filter(pk=shift.pk)).get()


@transaction.atomic
def claim_shift(*, shift: Shift, resident: Resident) -> Shift:
    """Raise a hand for an open shift; one volunteer per shift."""
    if _lock_membership(resident) != Resident.Status.APPROVED:
        raise ValidationError(_("Only approved residents can take a shift."))
    shift = _lock_shift(shift)
    if shift.volunteer_id is not None:
        if shift.volunteer_id == resident.pk:
            raise ValidationError(_("You have already taken this shift."))
        raise ValidationError(
            _("%(name)s has already taken this shift. Please choose another one.")
            % {"name": shift.volunteer.name}
        )
    if shift.starts_at <= timezone.now():
        raise ValidationError(_("This shift has already started."))
    pause()
    shift.volunteer = resident
    shift.swap_wanted = False
    shift.save(update_fields=["volunteer", "swap_wanted"])
    return shift


@transaction.atomic
def release_shift(*, shift: Shift, resident: Resident) -> Shift:
    """Give a shift back so someone else can take it."""
    shift = _lock_shift(shift)
    if shift.volunteer_id != resident.pk:
        raise ValidationError(_("This is not your shift."))
    if shift.is_done or shift.starts_at <= timezone.now():
        raise ValidationError(
            _("This shift has already started; please tell the organiser.")
        )
    shift.volunteer = None
    shift.swap_wanted = False
    shift.save(update_fields=["volunteer", "swap_wanted"])
    return shift


@transaction.atomic
def offer_swap(*, shift: Shift, resident: Resident, wanted: bool = True) -> Shift:
    """Say that you would like to swap this shift for another one (or no longer)."""
    shift = _lock_shift(shift)
    if shift.volunteer_id != resident.pk:
        raise ValidationError(_("This is not your shift."))
    if shift.is_done or shift.starts_at <= timezone.now():
        raise ValidationError(_("This shift has already started."))
    shift.swap_wanted = wanted
    shift.save(update_fields=["swap_wanted"])
    return shift


@transaction.atomic
def swap_shifts(
    *, wanted: Shift, mine: Shift, resident: Resident
) -> tuple[Shift, Shift]:
    """Take a shift offered for swapping and give the offerer one of yours in return."""
    set_lock_timeout()
    # Lock both rows in id order so two crossing swaps cannot deadlock.
    rows = {
        s.pk: s
        for s in locked(
            Shift.objects.filter(pk__in=[wanted.pk, mine.pk]).order_by("pk")
        )
    }
    wanted, mine = rows[wanted.pk], rows[mine.pk]
    now = timezone.now()
    if mine.volunteer_id != resident.pk:
        raise ValidationError(_("This is not your shift."))
    if (
        not wanted.swap_wanted
        or wanted.volunteer_id is None
        or wanted.volunteer_id == resident.pk
    ):
        raise ValidationError(_("This shift is no longer offered for a swap."))
    if wanted.task_id != mine.task_id:
        raise ValidationError(_("You can only swap shifts of the same task."))
    if min(wanted.starts_at, mine.starts_at) <= now or wanted.is_done or mine.is_done:
        raise ValidationError(_("Shifts that have started cannot be swapped."))
    offerer = wanted.volunteer
    wanted.volunteer, mine.volunteer = resident, offerer
    wanted.swap_wanted = mine.swap_wanted = False
    wanted.save(update_fields=["volunteer", "swap_wanted"])
    mine.save(update_fields=["volunteer", "swap_wanted"])
    notify(
        recipient=offerer.user,
        kind="shift_swapped",
        text=Message(
            gettext_noop("%(name)s swapped with you: you now do %(task)s on %(when)s."),
            name=resident.name,
            task=mine.task.title,
            when=At(mine.starts_at, "when"),
        ),
        link=mine.task.get_absolute_url(),
    )
    return wanted, mine


@transaction.atomic
def mark_shift_done(*, shift: Shift, actor: User, done: bool = True) -> Shift:
    """The organiser confirms a shift was done; its hours count from then on."""
    shift = _lock_shift(shift)
    if done:
        if shift.volunteer_id is None:
            raise ValidationError(_("Nobody has taken this shift."))
        if shift.starts_at > timezone.now():
            raise ValidationError(_("A shift can be marked done once it has started."))
        shift.done_at, shift.done_by = timezone.now(), actor
    else:
        shift.done_at, shift.done_by = None, None
    shift.save(update_fields=["done_at", "done_by"])
    return shift


def send_shift_reminders(*, within: timedelta = timedelta(hours=24)) -> int:
    """Remind volunteers of shifts starting soon, once per shift; returns how many were sent."""
    now = timezone.now()
    sent = 0
    due = Shift.objects.filter(
        volunteer__isnull=False,
        reminded_at__isnull=True,
        done_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + within,
    ).select_related("task", "volunteer__user")
    for shift in due:
        with transaction.atomic():
            # Claim the reminder first, so two runs at once never send it twice.
            claimed = Shift.objects.filter(
                pk=shift.pk, reminded_at__isnull=True
            ).update(reminded_at=now)
            if not claimed:
                continue
            notify(
                recipient=shift.volunteer.user,
                kind="shift_reminder",
                text=Message(
                    gettext_noop("Reminder: you do %(task)s on %(when)s. Thank you!"),
                    task=shift.task.title,
                    when=At(shift.starts_at, "when"),
                ),
                link=shift.task.get_absolute_url(),
            )
            sent += 1
    return sent
