"""Who may do what with activities, tasks and shifts (pure predicates over an Access).

Seeing a building at all is decided by buildings.permissions.get_access_or_404; these
predicates add the activity-specific rules on top:

- Community-wide activities are seen by approved residents of every building of the
  community; only branch staff create or edit them.
- A building's team and leaders create and edit its activities and tasks.
- The organiser checks people in on the day (issue 6), so running an activity (roster,
  check-in, sign-in sheet, recap) is open to whoever may edit it and to the named organiser.
"""

from django.shortcuts import get_object_or_404

from activities.models import Activity, Registration, Shift, Task
from buildings.permissions import Access


def get_activity_or_404(access: Access, pk: int) -> Activity:
    """An activity the building's residents may see; anything else is a 404."""
    queryset = Activity.objects.visible_in(access.building).select_related(
        "building", "community", "organiser__household__building", "created_by"
    )
    return get_object_or_404(queryset, pk=pk)


def get_task_or_404(access: Access, pk: int) -> Task:
    return get_object_or_404(access.building.tasks.all(), pk=pk)


def get_shift_or_404(access: Access, pk: int) -> Shift:
    return get_object_or_404(
        Shift.objects.filter(task__building=access.building).select_related(
            "task", "volunteer"
        ),
        pk=pk,
    )


def can_create_community_wide(access: Access) -> bool:
    return access.is_staff


def can_edit_activity(access: Access, activity: Activity) -> bool:
    if activity.is_community_wide:
        return access.is_staff
    return activity.building_id == access.building.pk and access.can_organise


def can_cancel_activity(access: Access, activity: Activity) -> bool:
    """The building's leader (or staff); a community-wide one: staff. Not once begun."""
    if activity.is_cancelled or activity.has_started():
        return False
    if activity.is_community_wide:
        return access.is_staff
    return activity.building_id == access.building.pk and access.can_manage


def can_run_activity(access: Access, activity: Activity) -> bool:
    """Check people in, see the roster, print the sheet, add the recap."""
    if can_edit_activity(access, activity):
        return True
    return access.resident is not None and activity.organiser_id == access.resident.pk


def can_sign_up(access: Access) -> bool:
    """Only residents sign up; staff have no household to bring."""
    return access.resident is not None


def can_cancel(access: Access, registration: Registration, activity: Activity) -> bool:
    if access.resident is not None and registration.resident_id == access.resident.pk:
        return True
    return can_run_activity(access, activity)


def can_register_others(access: Access, activity: Activity) -> bool:
    """Leaders register residents without a phone (代录)."""
    if activity.is_community_wide:
        return access.is_staff or access.can_manage
    return activity.building_id == access.building.pk and access.can_manage


def can_manage_tasks(access: Access) -> bool:
    return access.can_organise


def can_take_shifts(access: Access) -> bool:
    return access.resident is not None


def holds_shift(access: Access, shift: Shift) -> bool:
    return access.resident is not None and shift.volunteer_id == access.resident.pk
