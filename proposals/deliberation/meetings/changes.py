"""A leader moves, re-plans or cancels a council meeting with a reason; the building is told."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from buildings import changes
from buildings.models import User
from buildings.notify import At, Message
from core.races import locked, set_lock_timeout
from proposals.deliberation.meetings.models import Meeting
from proposals.deliberation.notices import notify_building
from proposals.deliberation.proposals.models import Proposal


def _lock_upcoming(meeting: Meeting) -> Meeting:
    set_lock_timeout()
    meeting = locked(Meeting.objects.filter(pk=meeting.pk)).get()
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting was cancelled."))
    if meeting.starts_at <= timezone.now():
        raise ValidationError(
            _("This meeting has already taken place: record its minutes instead.")
        )
    return meeting


@transaction.atomic
def change_meeting(
    *,
    meeting: Meeting,
    by: User,
    title: str,
    starts_at: datetime,
    place: str,
    agenda: list[Proposal],
    agenda_notes: str,
    reason: str,
) -> Meeting:
    """New time, place or agenda for a meeting not yet held; the building is told."""
    reason = changes.clean_reason(reason)
    meeting = _lock_upcoming(meeting)
    if starts_at <= timezone.now():
        raise ValidationError(_("The new time is already past."))
    if any(p.building_id != meeting.building_id for p in agenda):
        raise ValidationError(
            _("A proposal on the agenda belongs to another building.")
        )
    meeting.title = title.strip()
    meeting.starts_at = starts_at
    meeting.place = place.strip()
    meeting.agenda_notes = agenda_notes.strip()
    meeting.save(
        update_fields=["title", "starts_at", "place", "agenda_notes", "updated_at"]
    )
    meeting.agenda.set(agenda)
    changes.record_change(obj=meeting, by=by, reason=reason)
    notify_building(
        building=meeting.building,
        kind="meeting",
        text=Message(
            gettext_noop(
                "Council meeting changed: now %(when)s at %(place)s (%(reason)s)"
            ),
            when=At(starts_at),
            place=meeting.place,
            reason=reason,
        ),
        link=meeting.get_absolute_url(),
    )
    return meeting


@transaction.atomic
def cancel_meeting(*, meeting: Meeting, by: User, reason: str) -> Meeting:
    """Call a meeting off; the building is told, the page keeps it with the reason."""
    reason = changes.clean_reason(reason)
    meeting = _lock_upcoming(meeting)
    changes.cancel(obj=meeting, by=by, reason=reason)
    notify_building(
        building=meeting.building,
        kind="meeting",
        text=Message(
            gettext_noop("Council meeting of %(when)s cancelled: %(reason)s"),
            when=At(meeting.starts_at),
            reason=reason,
        ),
        link=meeting.get_absolute_url(),
    )
    return meeting
