"""A count of one reads as one in English ("1 adult", "1 vote open", "1 person"), and
both counts read as Chinese puts them; never "1 adults" or "1 votes"."""

import pytest
from django.urls import reverse

from buildings.models import Resident
from tests.activities.factories import ActivityFactory, RegistrationFactory
from tests.module_data import roles_built_once
from tests.proposals.deliberation.factories import PollFactory

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


def _page(login, user, path, language):
    client = login(user)
    client.cookies["django_language"] = language
    return client.get(path, HTTP_ACCEPT_LANGUAGE=language).content.decode()


@pytest.mark.parametrize(
    "language, mine, roster",
    [
        ("en", "1 adult, 1 child", "1 person"),
        ("zh-hans", "成人 1 位，儿童 1 位", "2 人"),
    ],
)
def test_a_party_of_one_is_one_in_every_language(roles, login, language, mine, roster):
    building = roles.building
    activity = ActivityFactory(building=building)
    resident = Resident.objects.get(user=roles.resident)
    RegistrationFactory(activity=activity, resident=resident, adults=1, children=1)
    RegistrationFactory(  # on the waiting list, counted in people
        activity=activity, adults=1 if language == "en" else 2, status="waitlisted"
    )
    detail = reverse("activities:detail", args=[building.pk, activity.pk])
    page = _page(login, roles.resident, detail, language)
    assert mine in page
    assert "1 adults" not in page and "1 children" not in page
    roster_page = _page(
        login,
        roles.leader,
        reverse("activities:roster", args=[building.pk, activity.pk]),
        language,
    )
    assert roster in roster_page
    assert mine in roster_page
    assert "1 people" not in roster_page


def test_one_open_vote_is_one_vote_on_the_building_page(roles, login):
    PollFactory(proposal__building=roles.building)
    page = _page(login, roles.resident, roles.building.get_absolute_url(), "en")
    assert "1 vote open" in page
    assert "1 votes open" not in page


def test_dashboards_say_one_open_issue_and_one_building(roles, login):
    from tests.factories import BuildingFactory, CommunityFactory, StaffFactory
    from tests.proposals.factories import IssueFactory

    IssueFactory(building=roles.building)
    community = roles.building.community
    community_page = _page(login, roles.staff, f"/dashboard/c/{community.pk}/", "en")
    assert "1 issue open" in community_page
    assert "1 issues open" not in community_page
    small = CommunityFactory(town=community.town, name="小区")
    BuildingFactory(community=small)  # a community of one building
    town_staff = StaffFactory(towns=[community.town])
    town_page = _page(login, town_staff, f"/dashboard/t/{community.town_id}/", "en")
    assert "1 building · " in town_page
    assert "1 buildings" not in town_page
