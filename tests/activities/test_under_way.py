"""An activity still under way is not yet held: the dashboard counts it, its participants,
its check-ins in the participation trend and its volunteer hours once it is over, all
together, as the statement does."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from activities import hours
from dashboard import metrics
from tests.activities.factories import ActivityFactory, RegistrationFactory
from tests.module_data import roles_built_once

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


def _row(building):
    return next(
        r for r in metrics.community_rows(building.community) if r.building == building
    )


def test_an_activity_is_counted_with_its_people_and_hours_once_over(roles):
    start = timezone.now() - timedelta(hours=1)
    workday = ActivityFactory(
        building=roles.building,
        counts_as_volunteering=True,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    resident = roles.resident.memberships.get()
    RegistrationFactory(
        activity=workday, resident=resident, adults=2, attendance="checked_in"
    )
    year = timezone.localtime(start).year
    row = _row(roles.building)
    under_way = (row.activities_held, row.participants, row.volunteer_hours)
    assert under_way == (0, 0, Decimal("0.0"))
    assert sum(row.trend) == 0  # nor is the check-in an act of the month yet
    assert hours.total(hours.entries_for(resident, year)) == Decimal("0.0")
    with time_machine.travel(workday.ends_at + timedelta(minutes=1)):
        row = _row(roles.building)
        over = (row.activities_held, row.participants, row.volunteer_hours)
        trend = sum(row.trend)
        statement = hours.total(hours.entries_for(resident, year))
    assert over == (1, 2, Decimal("2.0"))
    assert trend == 1
    assert statement == Decimal("2.0")
