"""Who may run council meetings and mark follow-up tasks done."""

from buildings.permissions import Access
from proposals.deliberation.meetings.models import (
    Meeting,
    MeetingTask,
)


def can_manage_meeting(access: Access, meeting: Meeting) -> bool:
    return access.can_organise


def can_change_meeting(access: Access, meeting: Meeting) -> bool:
    """The leader (or staff) moves or cancels a meeting not yet held."""
    return access.can_manage and not meeting.is_cancelled and not meeting.has_started


def can_complete_task(access: Access, task: MeetingTask) -> bool:
    """The team, or the task's owner."""
    if task.is_done:
        return False
    return access.can_organise or (
        access.resident is not None and task.owner_id == access.resident.pk
    )
