"""Gardens' part of a person's data export (leaving keeps adoptions: they name the household)."""

from gardens.models import Adoption


def export_user_data(user) -> dict:
    return {
        "garden_adoptions": [
            {
                "space": a.space.name,
                "season": a.season.isoformat(),
                "shown_as": a.shown_as,
                "status": a.status,
            }
            for a in Adoption.objects.filter(adopted_by__user=user).select_related(
                "space"
            )
        ]
    }


def anonymise_user(user) -> None:
    """Nothing to do: adoptions name the household and the Resident row, which the root
    app anonymises; an adoption shown by name shows the anonymised name from then on."""
