"""Writes for council meetings: calling one, the sign-in sheet, follow-up tasks."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from buildings.models import Building, Resident, User
from buildings.notify import At, Message, notify
from buildings.permissions import staff_of_community
from proposals.deliberation.meetings.models import (
    Meeting,
    MeetingAttendance,
    MeetingTask,
)
from proposals.deliberation.notices import notify_building
from proposals.deliberation.proposals.models import Proposal


@transaction.atomic
def schedule_meeting(
    *,
    building: Building,
    created_by: User,
    title: str,
    starts_at: datetime,
    place: str,
    agenda: list[Proposal],
    agenda_notes: str = "",
) -> Meeting:
    """Call a council meeting (议事会) and tell the building."""
    if any(p.building_id != building.pk for p in agenda):
        raise ValidationError(
            _("A proposal on the agenda belongs to another building.")
        )
    meeting = Meeting.objects.create(
        building=building,
        created_by=created_by,
        title=title.strip(),
        starts_at=starts_at,
        place=place.strip(),
        agenda_notes=agenda_notes.strip(),
    )
    meeting.agenda.set(agenda)
    notify_building(
        building=building,
        kind="meeting",
        text=Message(
            gettext_noop("Council meeting %(when)s at %(place)s: %(title)s"),
            when=At(starts_at),
            place=meeting.place,
            title=meeting.title,
        ),
        link=meeting.get_absolute_url(),
    )
    return meeting


def record_attendance(
    *, meeting: Meeting, resident: Resident, recorded_by: User
) -> MeetingAttendance:
    """Tick a resident on the sign-in sheet (once)."""
    if resident.household.building_id != meeting.building_id:
        raise ValidationError(_("This resident does not live in this building."))
    try:
        with transaction.atomic():
            return MeetingAttendance.objects.create(
                meeting=meeting, resident=resident, recorded_by=recorded_by
            )
    except IntegrityError as exc:
        raise ValidationError(
            _("%(name)s is already on the sign-in sheet.") % {"name": resident.name}
        ) from exc


def staff_who_may_attend(building: Building):
    """Branch staff who can be signed in at a meeting of this building: the staff who
    answer for its community (its own posts and its town's)."""
    return staff_of_community(building.community_id).order_by("name", "pk")


def record_staff_attendance(
    *, meeting: Meeting, staff: User, recorded_by: User
) -> MeetingAttendance:
    """Tick a member of the branch staff on the sign-in sheet (once)."""
    if not staff_who_may_attend(meeting.building).filter(pk=staff.pk).exists():
        raise ValidationError(_("Only branch staff can be signed in this way."))
    try:
        with transaction.atomic():
            return MeetingAttendance.objects.create(
                meeting=meeting, staff=staff, recorded_by=recorded_by
            )
    except IntegrityError as exc:
        raise ValidationError(
            _("%(name)s is already on the sign-in sheet.") % {"name": staff.name}
        ) from exc


def add_meeting_task(
    *, meeting: Meeting, title: str, owner: Resident, due_on=None
) -> MeetingTask:
    """Give a follow-up task an owner; the owner is told."""
    if owner.household.building_id != meeting.building_id or not owner.is_approved:
        raise ValidationError(_("The owner must be a resident of this building."))
    task = MeetingTask.objects.create(
        meeting=meeting, title=title.strip(), owner=owner, due_on=due_on
    )
    notify(
        recipient=owner.user,
        kind="meeting_task",
        text=Message(
            gettext_noop("A follow-up task for you: %(title)s"), title=task.title
        ),
        link=meeting.get_absolute_url(),
    )
    return task


@transaction.atomic
def complete_meeting_task(*, task: MeetingTask, done_by: User) -> MeetingTask:
    """Mark a follow-up task done."""
    task = MeetingTask.objects.select_for_update().get(pk=task.pk)
    if task.is_done:
        raise ValidationError(_("This task is already done."))
    task.done_at = timezone.now()
    task.done_by = done_by
    task.save(update_fields=["done_at", "done_by"])
    return task
