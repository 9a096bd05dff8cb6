"""The branch dashboard: staff only, right numbers, a bounded number of queries."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from buildings.models import Household
from dashboard import figures, metrics
from tests.activities.factories import (
    ActivityFactory,
    RegistrationFactory,
    ShiftFactory,
)
from tests.conftest import ALL_ROLES
from tests.factories import AccountResidentFactory, BuildingFactory, HouseholdFactory
from tests.funds.factories import donate, ready_fund, spend
from tests.proposals.factories import IssueFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_branch_staff_see_the_dashboard(roles, login, role):
    url = reverse("dashboard:community", args=[roles.building.community_id])
    response = login(roles.get(role)).get(url)
    expected = {"staff": 200, "visitor": 302}.get(role, 403)
    assert response.status_code == expected


def test_staff_land_on_the_dashboard(roles, login):
    response = login(roles.staff).get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "dashboard:community", args=[roles.building.community_id]
    )


def populate(building, size=1):
    """Issues, money, activities and volunteering for one building, scaled by size."""
    HouseholdFactory.create_batch(4 * size, building=building)
    residents = [
        AccountResidentFactory(household__building=building) for _ in range(2 * size)
    ]
    now = timezone.now()
    for index in range(3 * size):
        IssueFactory(
            building=building,
            reporter=residents[0],
            created_at=now - timedelta(hours=60),
            first_response_at=(now - timedelta(hours=50)) if index % 3 else None,
            status="resolved" if index % 3 == 1 else "acknowledged",
            resolved_at=now if index % 3 == 1 else None,
            satisfaction="satisfied" if index % 3 == 1 else "",
        )
    fund, leader, rule = ready_fund(building)
    donate(fund, leader, "300")
    spend(fund, leader, "120", rule)
    past = ActivityFactory(
        building=building,
        starts_at=now - timedelta(days=3),
        counts_as_volunteering=True,
        capacity=50,
    )
    for resident in residents:
        RegistrationFactory(
            activity=past, resident=resident, adults=2, attendance="checked_in"
        )
    ShiftFactory(
        task__building=building,
        volunteer=residents[0],
        starts_at=now - timedelta(days=2),
        done_at=now,
    )
    return residents


# In the middle of a month: the trend's last month then holds what populate() made in
# the days before (on the 1st of a month, those acts are last month's).
@time_machine.travel(datetime(2026, 11, 18, 15, tzinfo=ZoneInfo("Asia/Shanghai")))
def test_measures_for_a_building(building):
    populate(building)
    row = next(
        r for r in metrics.community_rows(building.community) if r.building == building
    )
    households = Household.objects.filter(building=building).count()
    assert (row.households, row.joined) == (
        households,
        2 + 1,
    )  # 2 residents + ready_fund's leader
    assert row.issues_open == 2 and row.issues_overdue == 1
    assert row.issues_recent == 3 and row.resolved == 1 and row.satisfied == 1
    assert row.answered_in_time == 2
    assert row.median_response_hours == 10.0
    assert (row.raised, row.spent, row.balance) == (
        Decimal("300.00"),
        Decimal("120.00"),
        Decimal("180.00"),
    )
    assert row.activities_held == 1 and row.participants == 4
    assert row.volunteer_hours == Decimal("5.0")  # 2 × 2 h activity + a 1 h shift
    assert row.trend[-1] >= 3
    households = row.households
    expected = (
        25 * 3 / households  # joined
        + 20 * 0  # no household voted
        + 15 * min(1, 2 / (households / 4))  # 2 issues answered in time
        + 15 * min(1, 300 / (50 * households))  # ¥300 raised
        + 10 * min(1, 5 / (2 * households))  # 5 volunteer hours
        + 15 * min(1, 4 / households)  # 4 people checked in
    )
    assert row.index == round(expected, 1)


def test_rates_count_problems_not_duplicates_or_hidden_reports(building):
    # One problem fixed, reported twice more (merged into it), and one abusive report a
    # leader hid: one problem, resolved, answered in time.
    now = timezone.now()
    fixed = IssueFactory(
        building=building,
        created_at=now - timedelta(hours=30),
        first_response_at=now - timedelta(hours=28),
        status="resolved",
        resolved_at=now,
    )
    for _ in range(2):
        IssueFactory(
            building=building, created_at=now - timedelta(hours=20), merged_into=fixed
        )
    IssueFactory(
        building=building,
        created_at=now - timedelta(hours=10),
        first_response_at=now - timedelta(hours=1),
        hidden_at=now,
    )
    row = next(
        r for r in metrics.community_rows(building.community) if r.building == building
    )
    assert (row.issues_recent, row.resolved, row.answered_in_time) == (1, 1, 1)
    assert row.resolution_rate == 1.0
    assert row.median_response_hours == 2.0


def test_page_shows_buildings_pilots_overdue_and_the_formula(client, roles):
    pilot = BuildingFactory(
        community=roles.building.community, number="8号楼", is_pilot=True
    )
    populate(pilot)
    client.force_login(roles.staff)
    page = client.get(
        reverse("dashboard:community", args=[pilot.community_id])
    ).content.decode()
    assert "8号楼" in page and "活力指数" in page
    assert "试点楼组与其他楼组对比" in page
    assert "¥300.00" in page
    assert "<svg" in page and "polyline" in page
    assert "大堂铁门坏了" in page  # the overdue issue's title


def test_query_count_does_not_grow_with_the_data(client, roles, settings):
    """Computing the figures (the worker's job) and showing them (the page) both take a
    fixed number of queries, whatever the community's size."""
    settings.LOUZU_PAGE_CACHE = False  # the view's own queries, every time
    community = roles.building.community
    client.force_login(roles.staff)
    url = reverse("dashboard:community", args=[community.pk])
    populate(BuildingFactory(community=community))
    figures.compute(community)  # the first time stores the row; then it is updated
    with CaptureQueriesContext(connection) as small_compute:
        figures.compute(community)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _ in range(3):
        populate(BuildingFactory(community=community), size=3)
    with CaptureQueriesContext(connection) as large_compute:
        figures.compute(community)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large_compute) == len(small_compute)
    assert len(large) == len(small)
    assert len(large) <= 12  # the page reads the figures, it does not compute them


def test_redis_is_the_cache_when_redis_url_is_set():
    import os
    import subprocess
    import sys

    code = "import django; django.setup(); from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    env = {
        **os.environ,
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    output = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert (
        output.stdout.strip() == "core.cache.RedisCache"
    )  # Django's, one client per pool


def test_the_pilot_comparison_writes_money_as_every_page_does(client, roles):
    """The average raised per building is yuan and fen, written ¥1,234.56 as the
    building's own row and chart write it (it was a float of one decimal: 1234.6)."""
    pilot = BuildingFactory(
        community=roles.building.community, number="8号楼", is_pilot=True
    )
    fund, leader, _rule = ready_fund(pilot)
    donate(fund, leader, "1234.56")
    client.force_login(roles.staff)
    page = client.get(reverse("dashboard:community", args=[pilot.community_id]))
    raised = next(
        item for item in page.context["comparison"] if item["key"] == "raised"
    )
    assert (raised["pilot"], raised["other"]) == (Decimal("1234.56"), Decimal("0.00"))
    body = page.content.decode()
    assert (
        '筹集金额（元）</th><td class="text-end">¥1,234.56</td>'
        '<td class="text-end">¥0.00</td>'
    ) in body
    assert "1234.6<" not in body


def test_the_trend_counts_gifts_on_their_day_and_not_reversed_ones(building):
    """A gift logged today for last month counts in last month; one reversed as a
    mistake counts nowhere."""
    from funds import services

    fund, leader, _rule = ready_fund(building)
    today = timezone.localdate()
    last_month = today.replace(day=1) - timedelta(days=1)
    donate(fund, leader, "30", occurred_on=last_month)
    mistake = donate(fund, leader, "40", occurred_on=today)
    services.reverse_entry(entry=mistake, reason="记错了", by=leader)
    row = next(
        r for r in metrics.community_rows(building.community) if r.building == building
    )
    assert row.trend[-2:] == [1, 0]
