"""Every main page issues the same number of queries on small and on 8× larger data.

Two districts are generated with `buildings.synthetic.district` (the generator behind
`manage.py generate_district`): a small one (12 households a building, a light year)
and a large one (96 households a building, five times the activity). Each page is
opened on a comparable object of each, by the building's leader and by a resident, and
the number of queries must be equal: it may depend on what a page shows, never on how
much data there is.
"""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities.models import Activity, Task
from buildings.models import Household, Resident
from buildings.synthetic import district as gen
from funds.models import Fund
from proposals.models import Issue, Poll

# One xdist worker runs them all (python3 dev.py test: --dist loadgroup): the two
# districts take far longer to generate than every test here takes to run, so they are
# generated once rather than once in each worker.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("query_scaling")]

SCALES = {
    "small": {"households_per_building": 12, "intensity": 2.0},
    "large": {"households_per_building": 96, "intensity": 10.0},
}


def _generate(name: str, seed: int, **sizes):
    district = gen.District(
        communities=1,
        buildings_per_community=6,
        seed=seed,
        district_name=f"test {name}",
        **sizes,
    )
    gen.generate(district)
    return district


def _pick(district) -> dict | None:
    """The first building (with a fund) that has something on every page, if any."""
    funded = set(
        Fund.objects.filter(
            building_id__in=[b.id for b in district.buildings()]
        ).values_list("building_id", flat=True)
    )
    for plan in district.buildings():
        objects = _objects(plan) if plan.id in funded else None
        if objects is not None:
            objects["staff"] = district.staff_user_id
            return objects
    return None


def _district_with_every_page(name: str, sizes: dict) -> dict:
    """Generate with seeds 1, 2, … until a building has something on every page."""
    for seed in range(1, 11):
        with transaction.atomic():
            picked = _pick(_generate(f"{name} {seed}", seed=seed, **sizes))
            if picked is not None:
                return picked
            transaction.set_rollback(True)
    raise AssertionError("ten generated districts left a page without data")


def _objects(plan) -> dict | None:
    """The objects each page shows, chosen alike at both scales."""
    building_id = plan.id
    issue = (
        Issue.objects.filter(building_id=building_id, status="resolved")
        .annotate(n=Count("events", distinct=True), s=Count("supports", distinct=True))
        .order_by("-n", "-s", "pk")
        .first()
    )
    poll = (
        Poll.objects.filter(
            building_id=building_id,
            outcome="adopted",
            is_secret=False,
            electorate="household",
        )
        .annotate(n=Count("ballots"))
        .order_by("-n", "pk")
        .first()
    )
    activity = (
        Activity.objects.filter(building_id=building_id, ends_at__lt=timezone.now())
        .annotate(n=Count("registrations"))
        .order_by("-n", "pk")
        .first()
    )
    resident = (
        Resident.objects.approved()
        .filter(
            household__building_id=building_id,
            role="resident",
            user__isnull=False,
            is_adult=True,
        )
        .order_by("pk")
        .first()
    )
    rota = Task.objects.filter(building_id=building_id).exists()
    upcoming = Activity.objects.filter(
        building_id=building_id, ends_at__gte=timezone.now()
    ).exists()
    if not (issue and poll and activity and resident and rota and upcoming):
        return None
    return {
        "building": building_id,
        "community": plan.community_id,
        "issue": issue.pk,
        "poll": poll.pk,
        "activity": activity.pk,
        "leader": plan.leader.user_id,
        "staff": None,  # filled in by _pick
        "resident": resident.user_id,
        "households": Household.objects.filter(building_id=building_id).count(),
    }


@pytest.fixture(scope="module")
def scales(django_db_setup, django_db_blocker):
    """Both districts, generated once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        picked = {
            name: _district_with_every_page(name, sizes)
            for name, sizes in SCALES.items()
        }
        yield picked
        transaction.set_rollback(True)


def _statement_query() -> str:
    today = timezone.localdate()
    return f"?start={today - timedelta(days=365)}&end={today}"


PAGES = {
    "community page": lambda o: f"/c/{o['community']}/",
    "building page": lambda o: f"/buildings/{o['building']}/",
    "issue list": lambda o: f"/buildings/{o['building']}/issues/?status=all",
    "issue page": lambda o: f"/buildings/{o['building']}/issues/{o['issue']}/",
    "decisions hub": lambda o: f"/buildings/{o['building']}/decide/",
    "poll page": lambda o: f"/buildings/{o['building']}/decide/polls/{o['poll']}/",
    "fund page": lambda o: f"/buildings/{o['building']}/fund/",
    "statement": lambda o: (
        f"/buildings/{o['building']}/fund/statement/{_statement_query()}"
    ),
    "activity list": lambda o: f"/buildings/{o['building']}/activities/",
    "activity page": lambda o: (
        f"/buildings/{o['building']}/activities/{o['activity']}/"
    ),
    "volunteer rota": lambda o: f"/buildings/{o['building']}/volunteer/",
    "leader's to-do": lambda o: f"/buildings/{o['building']}/todo/",
    "search": lambda o: f"/buildings/{o['building']}/search/?q=门",
    "gardens": lambda o: f"/buildings/{o['building']}/gardens/",
}


def _queries(user_id: int, path: str) -> tuple[int, int]:
    """Queries of the view itself: the page cache is off (a hit makes fewer, see
    tests/core/test_pagecache.py)."""
    client = Client()
    client.force_login(_user(user_id))
    with override_settings(LOUZU_PAGE_CACHE=False):
        client.get(path)  # warm up per-process caches (content types, translations)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
    return response.status_code, len(captured)


def _user(user_id):
    from buildings.models import User

    return User.objects.get(pk=user_id)


STAFF_PAGES = {
    "dashboard": lambda o: "/dashboard/",
    "community dashboard": lambda o: f"/dashboard/c/{o['community']}/",
}


@pytest.mark.parametrize("page", list(STAFF_PAGES))
def test_dashboard_queries_do_not_grow_with_the_data(scales, page):
    counts = {}
    for name, objects in scales.items():
        path = STAFF_PAGES[page](objects)
        status, count = _queries(objects["staff"], path)
        assert status == 200, (name, path, status)
        counts[name] = count
    assert counts["small"] == counts["large"], counts
    assert counts["large"] <= 30, counts


def test_the_large_district_really_is_larger(scales):
    small, large = scales["small"], scales["large"]
    assert large["households"] >= 8 * small["households"]
    # Over the six buildings of each (one building's count varies with the draw and
    # with the day the year of activity ends on): five times the activity.
    small_issues = Issue.objects.filter(
        building__community_id=small["community"]
    ).count()
    large_issues = Issue.objects.filter(
        building__community_id=large["community"]
    ).count()
    assert large_issues >= 3 * small_issues


@pytest.mark.parametrize(
    "page,role",
    [
        (page, role)
        for page in PAGES
        for role in ("resident", "leader")
        if not (page == "leader's to-do" and role == "resident")  # theirs alone
    ],
)
def test_queries_do_not_grow_with_the_data(scales, page, role):
    counts = {}
    for name, objects in scales.items():
        path = PAGES[page](objects)
        status, count = _queries(objects[role], path)
        assert status == 200, (name, path, status)
        counts[name] = count
    assert counts["small"] == counts["large"], counts
    assert counts["large"] <= 30, counts


CACHED_PAGES = [
    "community page",
    "building page",
    "issue list",
    "issue page",
    "poll page",
    "statement",
    "activity page",
]


@pytest.mark.parametrize("page", CACHED_PAGES)
def test_pages_served_from_the_cache_query_little_whatever_the_data(scales, page):
    """A hit runs only the personal blocks' queries (and the session's, in the
    database here): the same few on both scales."""
    counts = {}
    for name, objects in scales.items():
        path = PAGES[page](objects)
        client = Client()
        client.force_login(_user(objects["resident"]))
        with override_settings(LOUZU_PAGE_CACHE_VERIFY=False):
            client.get(path)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
        assert response.status_code == 200, (name, path)
        assert response["X-Page-Cache"] == "hit", (name, path)
        counts[name] = len(captured)
    assert counts["small"] == counts["large"], counts
    assert counts["large"] <= 5, counts
