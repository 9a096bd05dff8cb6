"""Every view and action of one-foot gardens x every role, in the app and in the admin
(docs/architecture.md, "Who may do what")."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from activities.models import Shift
from buildings.models import Resident
from gardens.models import Adoption, GardenSpace
from gardens.seasons import current_season
from tests.conftest import ALL_ROLES
from tests.factories import AccountResidentFactory, BuildingFactory
from tests.gardens.factories import AdoptionFactory, GardenSpaceFactory
from tests.module_data import roles_built_once

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()

DENIED_OUTSIDE = {"visitor": 302, "outsider": 404, "pending": 404}


def table(**allowed):
    return {**DENIED_OUTSIDE, **allowed}


RESIDENT_UP = table(resident=200, team=200, leader=200, staff=200)
LEADER_UP = table(resident=403, team=403, leader=200, staff=200)

GET_VIEWS = [
    ("index", lambda b, s: [b.pk], RESIDENT_UP),
    ("detail", lambda b, s: [b.pk, s.pk], RESIDENT_UP),
    ("create", lambda b, s: [b.pk], LEADER_UP),
    ("edit", lambda b, s: [b.pk, s.pk], LEADER_UP),
]


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize(
    ("name", "args", "expected"), GET_VIEWS, ids=[v[0] for v in GET_VIEWS]
)
def test_get_views(roles, login, building, role, name, args, expected):
    space = GardenSpaceFactory(building=building)
    response = login(roles.get(role)).get(
        reverse(f"gardens:{name}", args=args(building, space))
    )
    assert response.status_code == expected[role]


def post(login, user, name, args, data=None):
    return login(user).post(reverse(f"gardens:{name}", args=args), data or {})


@pytest.mark.parametrize("role", ALL_ROLES)
def test_list_a_space(roles, login, building, role):
    response = post(
        login,
        roles.get(role),
        "create",
        [building.pk],
        {"name": "门厅角落", "place": "信箱旁", "notes": ""},
    )
    listed = GardenSpace.objects.filter(building=building, name="门厅角落").first()
    expected = table(resident=403, team=403, leader=302, staff=302)[role]
    assert response.status_code == expected
    assert (listed is not None) == (role in ("leader", "staff"))
    if listed is not None:
        assert listed.rota.kind == "garden"
        assert listed.rota.building == building


@pytest.mark.parametrize("role", ALL_ROLES)
def test_edit_a_space(roles, login, building, role):
    space = GardenSpaceFactory(building=building, name="旧名字")
    response = post(
        login,
        roles.get(role),
        "edit",
        [building.pk, space.pk],
        {"name": "新名字", "place": "二楼", "notes": "多浇水"},
    )
    space.refresh_from_db()
    allowed = role in ("leader", "staff")
    assert response.status_code == (
        302 if allowed else table(resident=403, team=403)[role]
    )
    assert (space.name == "新名字") == allowed
    if allowed:
        assert space.rota.title == "新名字" and space.rota.place == "二楼"


@pytest.mark.parametrize("role", ALL_ROLES)
def test_adopt(roles, login, building, role):
    space = GardenSpaceFactory(building=building)
    response = post(
        login,
        roles.get(role),
        "adopt",
        [building.pk, space.pk],
        {"season": current_season().isoformat(), "shown_as": "room"},
    )
    expected = table(resident=302, team=302, leader=302, staff=403)[role]
    assert response.status_code == expected
    adoption = Adoption.objects.filter(space=space).first()
    if role in ("resident", "team", "leader"):
        me = Resident.objects.get(user=roles.get(role))
        assert adoption.household == me.household and adoption.adopted_by == me
    else:
        assert adoption is None


def test_a_minor_cannot_adopt(login, building):
    space = GardenSpaceFactory(building=building)
    child = AccountResidentFactory(household__building=building, is_adult=False)
    response = post(
        login,
        child.user,
        "adopt",
        [building.pk, space.pk],
        {"season": current_season().isoformat(), "shown_as": "room"},
    )
    assert response.status_code == 403
    assert not Adoption.objects.exists()


@pytest.mark.parametrize("role", ALL_ROLES)
def test_give_up_someone_elses_adoption(roles, login, building, role):
    adoption = AdoptionFactory(space=GardenSpaceFactory(building=building))
    response = post(
        login, roles.get(role), "give-up", [building.pk, adoption.space.pk, adoption.pk]
    )
    adoption.refresh_from_db()
    expected = table(resident=403, team=403, leader=302, staff=302)[role]
    assert response.status_code == expected
    assert adoption.is_active == (role not in ("leader", "staff"))


def test_a_household_member_gives_up_and_the_leader_tells_the_adopter(
    roles, login, building
):
    adoption = AdoptionFactory(space=GardenSpaceFactory(building=building))
    partner = AccountResidentFactory(household=adoption.household)
    args = [building.pk, adoption.space.pk, adoption.pk]
    assert post(login, partner.user, "give-up", args).status_code == 302
    adoption.refresh_from_db()
    assert adoption.status == "given_up" and adoption.ended_by == partner.user
    # Nobody tells the adopter of their own household's decision by the leader's kind.
    assert not adoption.adopted_by.user.notifications.filter(
        kind="garden_given_up"
    ).exists()
    other = AdoptionFactory(space=GardenSpaceFactory(building=building))
    post(login, roles.leader, "give-up", [building.pk, other.space.pk, other.pk])
    assert other.adopted_by.user.notifications.filter(kind="garden_given_up").exists()


@pytest.mark.parametrize("role", ALL_ROLES)
def test_change_how_the_household_appears(roles, login, building, role):
    adoption = AdoptionFactory(space=GardenSpaceFactory(building=building))
    response = post(
        login,
        roles.get(role),
        "shown-as",
        [building.pk, adoption.space.pk, adoption.pk],
        {f"{adoption.pk}-shown_as": "anonymous"},
    )
    assert (
        response.status_code
        == table(resident=403, team=403, leader=403, staff=403)[role]
    )
    adoption.refresh_from_db()
    assert adoption.shown_as == "room"


def test_the_household_changes_how_it_appears(login, building):
    adoption = AdoptionFactory(space=GardenSpaceFactory(building=building))
    partner = AccountResidentFactory(household=adoption.household)
    args = [building.pk, adoption.space.pk, adoption.pk]
    post(
        login, partner.user, "shown-as", args, {f"{adoption.pk}-shown_as": "anonymous"}
    )
    adoption.refresh_from_db()
    assert adoption.shown_as == "anonymous"


def turns_data():
    start = timezone.localtime() + timedelta(days=2)
    return {
        "first_starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": 30,
        "weeks": 4,
    }


@pytest.mark.parametrize("role", ALL_ROLES)
def test_add_care_turns(roles, login, building, role):
    space = GardenSpaceFactory(building=building)
    response = post(
        login, roles.get(role), "turns", [building.pk, space.pk], turns_data()
    )
    expected = table(resident=403, team=302, leader=302, staff=302)[role]
    assert response.status_code == expected
    added = role in ("team", "leader", "staff")
    assert Shift.objects.filter(task=space.rota).count() == (4 if added else 0)


def test_the_adopting_household_adds_care_turns(login, building):
    adoption = AdoptionFactory(space=GardenSpaceFactory(building=building))
    response = post(
        login,
        adoption.adopted_by.user,
        "turns",
        [building.pk, adoption.space.pk],
        turns_data(),
    )
    assert response.status_code == 302
    assert Shift.objects.filter(task=adoption.space.rota).count() == 4


@pytest.mark.parametrize("name", ["adopt", "turns"])
def test_post_only_actions_refuse_get(roles, login, building, name):
    space = GardenSpaceFactory(building=building)
    response = login(roles.resident).get(
        reverse(f"gardens:{name}", args=[building.pk, space.pk])
    )
    assert response.status_code == 405


def test_forged_ids_from_another_building_are_404(roles, login, building):
    elsewhere = GardenSpaceFactory(building=BuildingFactory())
    adoption = AdoptionFactory(space=elsewhere)
    client = login(roles.leader)
    for name, args in [
        ("detail", [building.pk, elsewhere.pk]),
        ("edit", [building.pk, elsewhere.pk]),
    ]:
        assert client.get(reverse(f"gardens:{name}", args=args)).status_code == 404
    url = reverse("gardens:give-up", args=[building.pk, elsewhere.pk, adoption.pk])
    assert client.post(url).status_code == 404
    adoption.refresh_from_db()
    assert adoption.is_active


# --- The Django admin -----------------------------------------------------------------

ADMIN_PAGES = ["gardenspace", "adoption"]


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("model", ADMIN_PAGES)
def test_admin_only_for_staff_with_the_permission(roles, login, building, role, model):
    AdoptionFactory(space=GardenSpaceFactory(building=building))
    url = reverse(f"admin:gardens_{model}_changelist")
    client = login(roles.get(role))
    response = client.get(url)
    if role != "staff":
        assert response.status_code == 302
        assert "login" in response["Location"]
        return
    assert response.status_code == 403  # staff, but not granted the permission
    roles.staff.user_permissions.add(Permission.objects.get(codename=f"view_{model}"))
    assert login(roles.staff).get(url).status_code == 200


def test_admin_cannot_add_an_adoption_past_the_service(roles, login, building):
    roles.staff.user_permissions.add(
        *Permission.objects.filter(codename__endswith="_adoption")
    )
    client = login(roles.staff)
    assert client.get(reverse("admin:gardens_adoption_add")).status_code == 403
    adoption = AdoptionFactory(space=GardenSpaceFactory(building=building))
    page = client.get(reverse("admin:gardens_adoption_change", args=[adoption.pk]))
    assert page.status_code == 200
    assert 'name="season"' not in page.content.decode()  # read-only there
