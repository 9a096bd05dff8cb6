"""Buildings and rooms in counting order everywhere they are listed: 3, 5, 8, 12, 16 and
101, 102, 201, 1201; the join form preselects no building."""

import pytest
from django.urls import reverse

from buildings.forms import JoinForm
from buildings.models import Building, Household, Resident
from buildings.rooms import in_building_order, room_key
from tests.factories import (
    AccountResidentFactory,
    BuildingFactory,
    CommunityFactory,
    HouseholdFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SHUFFLED = ["16", "3", "12", "5", "8"]
COUNTED = ["3", "5", "8", "12", "16"]


@pytest.fixture
def community():
    community = CommunityFactory()
    for number in SHUFFLED:
        BuildingFactory(community=community, number=number)
    return community


def test_the_python_key_counts_numbers_inside_any_text():
    numbers = ["12号楼", "3号楼", "16号楼", "8号楼", "5号楼"]
    assert sorted(numbers, key=room_key) == [
        "3号楼",
        "5号楼",
        "8号楼",
        "12号楼",
        "16号楼",
    ]
    rooms = ["3-1001", "1-1201", "3-201", "2-101", "1-101"]
    assert sorted(rooms, key=room_key) == [
        "1-101",
        "1-1201",
        "2-101",
        "3-201",
        "3-1001",
    ]


def test_buildings_come_out_of_the_database_in_counting_order(community):
    assert [b.number for b in community.buildings.all()] == COUNTED
    # with_counts() groups rows, which drops the default order: in_natural_order keeps it
    counted = community.buildings.with_counts().in_natural_order()
    assert [b.number for b in counted] == COUNTED
    assert [b.number for b in in_building_order(community.buildings.reverse())] == (
        COUNTED
    )


def test_suffixed_numbers_are_counted_too():
    community = CommunityFactory()
    for number in ["12号楼", "8号楼", "16号楼", "3号楼"]:
        BuildingFactory(community=community, number=number)
    numbers = list(Building.objects.filter(community=community).values_list("number"))
    assert [n for (n,) in numbers] == ["3号楼", "8号楼", "12号楼", "16号楼"]


def test_rooms_and_residents_come_out_in_counting_order(building):
    for room in ["1201", "201", "102", "101"]:
        AccountResidentFactory(household=HouseholdFactory(building=building, room=room))
    assert list(building.households.values_list("room", flat=True)) == [
        "101",
        "102",
        "201",
        "1201",
    ]
    residents = Resident.objects.filter(household__building=building)
    assert [r.household.room for r in residents.select_related("household")] == [
        "101",
        "102",
        "201",
        "1201",
    ]
    assert [h.room for h in Household.objects.filter(building=building)] == [
        "101",
        "102",
        "201",
        "1201",
    ]


def test_the_join_form_lists_buildings_in_order_and_preselects_none(client, community):
    form = JoinForm(community=community)
    choices = [str(label) for _value, label in form.fields["building"].choices]
    assert choices[1:] == COUNTED
    assert choices[0] == "请选择您的楼栋"

    client.force_login(UserFactory())
    page = client.get(reverse("buildings:join", args=[community.pk]))
    html = page.content.decode()
    select = html[html.index('name="building"') : html.index("</select>")]
    assert "selected" not in select.replace('value="" selected', "")
    positions = [select.index(f">{number}</option>") for number in COUNTED]
    assert positions == sorted(positions)


def test_joining_without_choosing_a_building_asks_for_it(client, community):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("buildings:join", args=[community.pk]),
        {"building": "", "room": "302", "name": "张阿姨", "is_adult": "on"},
    )
    assert response.status_code == 200
    assert "请选择您的楼栋。" in response.content.decode()
    assert not Resident.objects.filter(user=user).exists()


def test_the_community_page_lists_buildings_in_order(client, community):
    html = client.get(reverse("buildings:community", args=[community.pk])).content
    html = html.decode()
    positions = [html.index(f"<strong>{number}</strong>") for number in COUNTED]
    assert positions == sorted(positions)


def test_the_dashboard_table_and_charts_list_buildings_in_order(client, community):
    client.force_login(StaffFactory(communities=[community]))
    response = client.get(reverse("dashboard:community", args=[community.pk]))
    assert [row.building.number for row in response.context["rows"]] == COUNTED
    html = response.content.decode()
    table = html[html.index("stack-table") :]
    positions = [table.index(f'<th scope="row">{n}</th>') for n in COUNTED]
    assert positions == sorted(positions)


def test_the_admin_lists_buildings_in_order(client, community):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(
        reverse("admin:buildings_building_changelist"),
        {"community__id__exact": community.pk},
    )
    shown = [b.number for b in response.context["cl"].result_list]
    assert shown == COUNTED


def test_the_admin_building_filter_and_household_list_are_in_order(client, community):
    for building in community.buildings.all():
        for room in ["1201", "201", "101"]:
            HouseholdFactory(building=building, room=room)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(
        reverse("admin:buildings_household_changelist"),
        {"building__community__id__exact": community.pk},
    )
    changelist = response.context["cl"]
    shown = [(h.building.number, h.room) for h in changelist.result_list]
    assert shown == [(n, r) for n in COUNTED for r in ["101", "201", "1201"]]
    building_filter = next(
        spec for spec in changelist.filter_specs if spec.field_path == "building"
    )
    labels = [label for _pk, label in building_filter.lookup_choices]
    mine = [label for label in labels if label in COUNTED]
    assert mine == COUNTED


def test_the_consultation_export_lists_rooms_in_order(building, login, roles):
    import csv
    import io

    from proposals.deliberation.consultations import services as consultations
    from tests.proposals.deliberation.factories import ConsultationFactory

    consultation = ConsultationFactory(building=building)
    answers = {
        question: "好" if question.kind == "text" else [question.choices.first()]
        for question in consultation.questions.all()
    }
    for room in ["1201", "201", "102", "101"]:
        household = HouseholdFactory(building=building, room=room)
        consultations.submit_response(
            consultation=consultation,
            answers=answers,
            household=household,
            entered_by=roles.team,
        )
    response = login(roles.team).get(
        reverse("proposals:consultation-export", args=[building.pk, consultation.pk])
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[1] for row in rows[1:]] == ["101", "102", "201", "1201"]
