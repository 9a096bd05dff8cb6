"""Activities' part of a person's data export and of leaving: what they did stays as
counts and hours, what they promised and have not done is given back."""

from activities.models import Registration, Shift
from activities.services import give_back_commitments
from buildings.models import Resident


def export_user_data(user) -> dict:
    return {
        "sign_ups": [
            {
                "activity": r.activity.title,
                "starts_at": r.activity.starts_at.isoformat(),
                "adults": r.adults,
                "children": r.children,
                "status": r.status,
                "attendance": r.attendance,
            }
            for r in Registration.objects.filter(resident__user=user).select_related(
                "activity"
            )
        ],
        "volunteer_shifts": [
            {
                "task": s.task.title,
                "starts_at": s.starts_at.isoformat(),
                "done": s.done_at is not None,
            }
            for s in Shift.objects.filter(volunteer__user=user).select_related("task")
        ],
    }


def anonymise_user(user) -> None:
    """Registrations and shifts name the Resident row, which the root app anonymises;
    what was done stays as counts and hours. What was promised and not yet done is given
    back, so a place or a shift is not held by someone who has gone."""
    give_back_commitments(residents=Resident.objects.filter(user=user), by=user)


def membership_ended(*, resident, by) -> None:
    """Staff marked the resident as gone from the building: as on leaving the app."""
    give_back_commitments(residents=[resident], by=by)
