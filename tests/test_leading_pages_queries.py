"""The pages of issue #16 issue as many queries for a busy building as for a quiet one.

Each page is opened on a building with a little of everything and on one with ten
times as much (raised matters and their co-signatures, team changes, talents, garden
spaces with adoptions and care turns, issues and proposals the search finds, rooms on
the printed sheets; for the town dashboard, communities): the count must be equal, and
under a budget (django_assert_max_num_queries).
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from buildings import team
from buildings.models import Household, Resident
from gardens import services as gardens
from proposals.deliberation.raising import services as raising
from tests.factories import (
    AccountResidentFactory,
    BuildingFactory,
    CommunityFactory,
    StaffFactory,
    TalentFactory,
    TownFactory,
)
from tests.gardens.factories import AdoptionFactory, GardenSpaceFactory
from tests.module_data import built_once
from tests.proposals.deliberation.factories import (
    ConsultationFactory,
    PollFactory,
    ProposalFactory,
)
from tests.proposals.factories import IssueFactory, IssueSupportFactory

pytestmark = pytest.mark.django_db

QUIET, BUSY = 2, 20


def busy_building(n):
    """A building with n of each thing the new pages list."""
    leader = AccountResidentFactory(role="leader", household__room="1")
    building = leader.household.building
    people = [
        AccountResidentFactory(household__building=building) for _ in range(2 * n)
    ]
    raising.set_threshold(building=building, threshold=n + 5, set_by=leader.user)
    matters = []
    for i in range(n):
        matter = raising.raise_matter(
            resident=people[i], title=f"门厅加装扶手{i}", body="楼梯陡"
        )
        for signer in people[n : n + 3]:
            raising.cosign(proposal=matter, resident=signer)
        matters.append(matter)
        issue = IssueFactory(building=building, title=f"铁门坏了{i}")
        IssueSupportFactory(issue=issue, resident=people[n + i])
        ProposalFactory(building=building, title=f"门禁议题{i}")
        TalentFactory(resident=people[i], skill__name=f"修门{i}", offer="修门")
        space = GardenSpaceFactory(building=building, name=f"门厅角落{i}")
        AdoptionFactory(space=space, adopted_by=people[n + i])
        if i % 3 == 0:
            team.appoint_to_team(resident=people[n + i], actor=leader.user)
            team.propose_talent(
                resident=people[i], skill_name=f"理发{i}", offer="", actor=leader.user
            )
    Household.objects.bulk_create(
        Household(building=building, room=f"{900 + i}") for i in range(5 * n)
    )
    first_space = building.garden_spaces.order_by("pk").first()
    gardens.add_care_turns(
        space=first_space,
        actor=leader.user,
        first_starts_at=timezone.now() + timedelta(days=1),
        duration_minutes=30,
        weeks=min(n, 8),
    )
    poll = PollFactory(proposal__building=building)
    consultation = ConsultationFactory(building=building)
    resident = Resident.objects.get(pk=people[-1].pk).user
    return {
        "building": building,
        "leader": leader.user,
        "resident": resident,
        "matter": matters[-1],
        "space": first_space,
        "poll": poll,
        "consultation": consultation,
    }


def busy_town(n):
    town = TownFactory(name=f"罗店镇{n}")
    for _ in range(n):
        community = CommunityFactory(town=town)
        for _ in range(2):
            building = BuildingFactory(community=community)
            IssueFactory(building=building)
            AccountResidentFactory(household__building=building)
    return town, StaffFactory(towns=[town])


PAGES = {
    "raised list": (
        "resident",
        lambda o: reverse("proposals:raised", args=[o["building"].pk]),
    ),
    "raised matter": (
        "resident",
        lambda o: o["matter"].get_absolute_url(),
    ),
    "raised matter (leader)": ("leader", lambda o: o["matter"].get_absolute_url()),
    "team page": (
        "leader",
        lambda o: reverse("buildings:team", args=[o["building"].pk]),
    ),
    "search": (
        "resident",
        lambda o: reverse("buildings:search", args=[o["building"].pk]) + "?q=门",
    ),
    "gardens": (
        "resident",
        lambda o: reverse("gardens:index", args=[o["building"].pk]),
    ),
    "garden space": ("leader", lambda o: o["space"].get_absolute_url()),
    "blank ballot": (
        "leader",
        lambda o: reverse(
            "proposals:poll-ballot", args=[o["building"].pk, o["poll"].pk]
        ),
    ),
    "blank questionnaire": (
        "leader",
        lambda o: reverse(
            "proposals:consultation-sheet",
            args=[o["building"].pk, o["consultation"].pk],
        ),
    ),
}
BUDGET = 30


def count(client, user, path):
    client.force_login(user)
    with override_settings(LOUZU_PAGE_CACHE=False):
        client.get(path)  # warm up per-process caches (content types, translations)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


@pytest.fixture(scope="module")
def buildings(django_db_setup, django_db_blocker):
    yield from built_once(
        django_db_blocker,
        lambda: {QUIET: busy_building(QUIET), BUSY: busy_building(BUSY)},
    )


@pytest.mark.parametrize("page", PAGES)
def test_new_pages_do_not_query_more_for_a_busy_building(
    buildings, client, page, django_assert_max_num_queries
):
    role, path = PAGES[page]
    counts = {
        n: count(client, objects[role], path(objects))
        for n, objects in buildings.items()
    }
    assert counts[QUIET] == counts[BUSY], counts
    busy = buildings[BUSY]
    client.force_login(busy[role])
    with (
        override_settings(LOUZU_PAGE_CACHE=False),
        django_assert_max_num_queries(BUDGET),
    ):
        client.get(path(busy))


def test_town_dashboard_does_not_query_more_for_more_communities(
    client, django_assert_max_num_queries
):
    counts = {}
    for n in (QUIET, 4 * QUIET):
        town, staff = busy_town(n)
        path = reverse("dashboard:town", args=[town.pk])
        counts[n] = count(client, staff, path)
    assert counts[QUIET] == counts[4 * QUIET], counts
    with django_assert_max_num_queries(BUDGET):
        client.get(path)
