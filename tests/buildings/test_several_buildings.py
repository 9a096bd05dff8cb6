"""A person may hold roles in several buildings (a leader of two; staff who also live in
one): one log-in, a switch between buildings remembered in the session, and every page
that shows "my building" uses it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from buildings import services
from buildings.models import Resident
from tests.factories import (
    AccountResidentFactory,
    BuildingFactory,
    HouseholdFactory,
    StaffFactory,
)
from tests.module_data import roles_built_once

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


@pytest.fixture
def two_roles(roles):
    """The test building's leader also leads a second building of the community."""
    second = BuildingFactory(community=roles.building.community, number="12号楼")
    Resident.objects.create(
        user=roles.leader,
        household=HouseholdFactory(building=second, room="101"),
        name="王建华",
        role=Resident.Role.LEADER,
        status=Resident.Status.APPROVED,
    )
    return second


def test_a_leader_of_two_buildings_manages_both(roles, two_roles, login):
    client = login(roles.leader)
    for building in (roles.building, two_roles):
        url = reverse("buildings:todo", args=[building.pk])
        assert client.get(url).status_code == 200
    # Their role in one building gives nothing in a third.
    third = BuildingFactory(community=roles.building.community)
    assert client.get(reverse("buildings:detail", args=[third.pk])).status_code == 404


def test_roles_are_per_building(roles, two_roles, login):
    """A resident here and leader there: managing here is still refused."""
    Resident.objects.filter(
        user=roles.leader, household__building=roles.building
    ).update(role=Resident.Role.RESIDENT)
    client = login(roles.leader)
    assert (
        client.get(reverse("buildings:todo", args=[roles.building.pk])).status_code
        == 403
    )
    assert client.get(reverse("buildings:todo", args=[two_roles.pk])).status_code == 200


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_switch_between_buildings(roles, two_roles, login, language):
    client = login(roles.leader)
    headers = {"accept-language": language}
    home = client.get("/", headers=headers)
    assert home["Location"] == roles.building.get_absolute_url()  # the first, oldest
    page = client.get(
        roles.building.get_absolute_url(), headers=headers
    ).content.decode()
    switch_url = reverse("buildings:switch-building")
    assert switch_url in page  # the menu offers the switch
    chooser = client.get(switch_url, headers=headers)
    assert chooser.status_code == 200
    text = chooser.content.decode()
    assert "12号楼" in text and '<form method="post"' in text  # no JS needed
    response = client.post(switch_url, {"building": two_roles.pk}, headers=headers)
    assert response["Location"] == two_roles.get_absolute_url()
    assert client.get("/")["Location"] == two_roles.get_absolute_url()
    me = client.get(reverse("buildings:me"), headers=headers).content.decode()
    assert "12号楼" in me.split("<h3")[0]  # my building now, the first in the list
    top = client.get(two_roles.get_absolute_url(), headers=headers).content.decode()
    assert f'href="{two_roles.get_absolute_url()}"' in top.split("</header>")[0]
    # And back: the page cache keeps each choice apart.
    client.post(switch_url, {"building": roles.building.pk})
    top = client.get(two_roles.get_absolute_url()).content.decode()
    assert f'href="{roles.building.get_absolute_url()}"' in top.split("</header>")[0]


@pytest.mark.parametrize("role", ["outsider", "resident", "staff", "visitor"])
def test_no_one_switches_to_a_building_not_theirs(roles, two_roles, login, role):
    client = login(roles.get(role))
    response = client.post(
        reverse("buildings:switch-building"), {"building": two_roles.pk}
    )
    if role == "visitor":
        assert (
            response.status_code == 302 and "/accounts/login/" in response["Location"]
        )
        return
    assert response["Location"] == reverse("buildings:me")
    assert client.session.get("louzu_building") is None
    for bad in ["", "abc", "99999999999999999999", str(two_roles.pk) + "x"]:
        response = client.post(reverse("buildings:switch-building"), {"building": bad})
        assert response.status_code == 302
    assert client.session.get("louzu_building") is None


def test_the_switch_is_offered_only_with_two_buildings(roles, login):
    page = login(roles.resident).get(roles.building.get_absolute_url()).content.decode()
    assert reverse("buildings:switch-building") not in page


def test_asking_to_join_a_second_building(roles, two_roles):
    third = BuildingFactory(community=roles.building.community)
    HouseholdFactory(building=third, room="201")
    HouseholdFactory(building=roles.building, room="909")
    resident = services.request_to_join(
        user=roles.resident, building=third, room="201", name="张阿姨"
    )
    assert resident.status == Resident.Status.PENDING
    with pytest.raises(ValidationError):  # one membership per building
        services.request_to_join(
            user=roles.resident, building=roles.building, room="909", name="张阿姨"
        )
    assert Resident.objects.filter(user=roles.resident).count() == 2


def test_staff_who_live_in_a_building(roles, login):
    """Staff of a community who are also residents of a building elsewhere."""
    staff = StaffFactory(communities=[roles.building.community])
    home = AccountResidentFactory(user=staff)
    client = login(staff)
    assert client.get(home.household.building.get_absolute_url()).status_code == 200
    assert (
        client.get(reverse("buildings:todo", args=[roles.building.pk])).status_code
        == 200
    )
    # As a resident they are no leader of their own building.
    todo = reverse("buildings:todo", args=[home.household.building_id])
    assert client.get(todo).status_code == 403


def test_building_page_queries_bounded_for_a_person_of_several_buildings(
    roles, two_roles, login, django_assert_max_num_queries, settings
):
    settings.LOUZU_PAGE_CACHE = False
    for _ in range(4):
        extra = BuildingFactory(community=roles.building.community)
        Resident.objects.create(
            user=roles.leader,
            household=HouseholdFactory(building=extra),
            name="王建华",
            status=Resident.Status.APPROVED,
        )
    client = login(roles.leader)
    client.get(roles.building.get_absolute_url())
    with django_assert_max_num_queries(30):
        assert client.get(roles.building.get_absolute_url()).status_code == 200


def test_the_database_holds_one_active_membership_per_building(roles):
    """Whatever the way in, a second active membership in one building is refused; a
    membership in another building, or after leaving, is not."""
    from django.db import IntegrityError, transaction

    other_room = HouseholdFactory(building=roles.building, room="999")
    with pytest.raises(IntegrityError), transaction.atomic():
        Resident.objects.create(user=roles.resident, household=other_room, name="x")
    Resident.objects.filter(user=roles.resident).update(status=Resident.Status.LEFT)
    again = Resident.objects.create(user=roles.resident, household=other_room, name="x")
    assert again.building_id == roles.building.pk


def test_the_admin_refuses_a_second_membership_in_one_building_with_a_message(
    roles, login
):
    staff = login(StaffFactory(is_superuser=True))
    other_room = HouseholdFactory(building=roles.building, room="999")
    response = staff.post(
        reverse("admin:buildings_resident_add"),
        {
            "user": roles.resident.pk,
            "household": other_room.pk,
            "name": "又一个",
            "status": "approved",
            "role": "resident",
            "is_adult": "on",
            "talent_visibility": "building",
            "talents-TOTAL_FORMS": "0",
            "talents-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "one membership per building" in response.content.decode() or (
        "每栋楼只能有一个" in response.content.decode()
    )
    assert Resident.objects.filter(user=roles.resident).count() == 1
