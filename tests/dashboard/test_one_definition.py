"""The dashboard counts issues and volunteer hours as their own apps define them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from activities import hours
from dashboard import metrics
from proposals.models import Issue
from tests.activities.factories import (
    ActivityFactory,
    RegistrationFactory,
    ShiftFactory,
)
from tests.dashboard.test_dashboard import populate
from tests.module_data import roles_built_once

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


def test_issues_and_hours_match_their_apps(building):
    residents = populate(building, size=2)
    now = timezone.now()
    # Hours the old dashboard sum rounded differently: 20 minutes three times is 1.0 h.
    for start in (3, 5, 7):
        ShiftFactory(
            task__building=building,
            volunteer=residents[1],
            starts_at=now - timedelta(days=start),
            ends_at=now - timedelta(days=start) + timedelta(minutes=20),
            done_at=now,
        )
    other = ActivityFactory(
        building=building,
        starts_at=now - timedelta(days=1, minutes=15),
        ends_at=now - timedelta(days=1),
        counts_as_volunteering=True,
        capacity=10,
    )
    RegistrationFactory(activity=other, resident=residents[1], attendance="checked_in")
    row = next(
        r for r in metrics.community_rows(building.community) if r.building == building
    )
    issues = Issue.objects.filter(building=building)
    assert row.issues_open == issues.open().count() > 0
    assert row.issues_overdue == issues.overdue().count() > 0
    assert row.volunteer_hours == hours.building_total(building) > 0
    assert row.volunteer_hours == hours.hours_by_building([building])[building.pk]
