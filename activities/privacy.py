"""Activities' part of a person's data export (leaving keeps sign-ups and hours as counts)."""

from activities.models import Registration, Shift


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
    """Nothing to do: registrations and shifts name the Resident row, which the root app
    anonymises; the counts and volunteer hours stay."""
