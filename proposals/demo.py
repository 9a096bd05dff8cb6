"""Demo data for proposals (merged by the lead with the issue reports' demo)."""

from proposals.deliberation_demo import seed_demo as seed_deliberation_demo


def seed_demo(community):
    seed_deliberation_demo(community)
