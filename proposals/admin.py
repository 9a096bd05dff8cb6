"""The admin of every domain of the app (each module registers its own models)."""

from proposals.deliberation.consultations import admin as consultations_admin
from proposals.deliberation.conventions import admin as conventions_admin
from proposals.deliberation.meetings import admin as meetings_admin
from proposals.deliberation.polls import admin as polls_admin
from proposals.deliberation.proposals import admin as proposals_admin
from proposals.deliberation.raising import admin as raising_admin
from proposals.issues import admin as issues_admin

__all__ = [
    "consultations_admin",
    "conventions_admin",
    "issues_admin",
    "meetings_admin",
    "polls_admin",
    "proposals_admin",
    "raising_admin",
]
