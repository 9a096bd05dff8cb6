"""One-foot gardens as residents and leaders use them: seasons, adopting, giving up,
how a household appears, care turns and their reminders, the building card, bad input,
both languages and bounded queries."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from activities.models import Shift
from activities.services import claim_shift, send_shift_reminders
from gardens.models import Adoption, GardenSpace
from gardens.seasons import current_season, next_season, season_end, season_of
from tests.core.test_uploads import gps_exif, photo_bytes, upload
from tests.factories import AccountResidentFactory
from tests.gardens.factories import AdoptionFactory, GardenSpaceFactory
from tests.module_data import roles_built_once

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


@pytest.mark.parametrize(
    ("day", "season"),
    [
        (date(2026, 1, 15), date(2025, 12, 1)),
        (date(2026, 2, 28), date(2025, 12, 1)),
        (date(2026, 3, 1), date(2026, 3, 1)),
        (date(2026, 8, 31), date(2026, 6, 1)),
        (date(2026, 11, 30), date(2026, 9, 1)),
        (date(2026, 12, 1), date(2026, 12, 1)),
    ],
)
def test_seasons_start_in_march_june_september_december(day, season):
    assert season_of(day) == season


def test_next_season_and_last_day():
    assert next_season(date(2026, 12, 1)) == date(2027, 3, 1)
    assert next_season(date(2026, 9, 1)) == date(2026, 12, 1)
    assert season_end(date(2025, 12, 1)) == date(2026, 2, 28)


def adopt(client, space, season=None, shown_as="room"):
    return client.post(
        reverse("gardens:adopt", args=[space.building_id, space.pk]),
        {"season": (season or current_season()).isoformat(), "shown_as": shown_as},
        follow=True,
    )


def test_a_second_household_is_told_who_has_it_as_they_chose_to_appear(login, building):
    space = GardenSpaceFactory(building=building)
    first = AccountResidentFactory(household__building=building, name="张阿姨")
    adopt(login(first.user), space, shown_as="anonymous")
    second = AccountResidentFactory(household__building=building)
    page = adopt(login(second.user), space).content.decode()
    assert "一户邻居" in page and "张阿姨" not in page
    assert Adoption.objects.filter(space=space).count() == 1
    # The next season is still free for the second household.
    adopt(login(second.user), space, season=next_season(current_season()))
    assert (
        Adoption.objects.get(
            space=space, season=next_season(current_season())
        ).household
        == second.household
    )


def test_the_page_shows_the_household_as_it_chose(login, building):
    space = GardenSpaceFactory(building=building)
    named = AdoptionFactory(space=space, shown_as="name")
    neighbour = AccountResidentFactory(household__building=building)
    page = login(neighbour.user).get(space.get_absolute_url()).content.decode()
    assert f"{named.adopted_by.name}家" in page
    named.shown_as = "room"
    named.save()
    page = login(neighbour.user).get(space.get_absolute_url()).content.decode()
    assert f"{named.household.room}室" in page
    assert named.adopted_by.name not in page


def test_after_giving_up_another_household_adopts(login, building):
    adoption = AdoptionFactory(space=GardenSpaceFactory(building=building))
    client = login(adoption.adopted_by.user)
    client.post(
        reverse("gardens:give-up", args=[building.pk, adoption.space.pk, adoption.pk])
    )
    again = client.post(
        reverse("gardens:give-up", args=[building.pk, adoption.space.pk, adoption.pk]),
        follow=True,
    )
    assert again.status_code == 403  # nothing left to give up
    other = AccountResidentFactory(household__building=building)
    adopt(login(other.user), adoption.space)
    active = Adoption.objects.active().get(space=adoption.space)
    assert active.household == other.household
    assert Adoption.objects.filter(space=adoption.space).count() == 2


@pytest.mark.parametrize(
    "data",
    [
        {"season": "2020-03-01", "shown_as": "room"},
        {"season": "not a date", "shown_as": "room"},
        {"season": "", "shown_as": "room"},
        {"shown_as": "everyone"},
        {"season": "<script>", "shown_as": "' OR 1=1 --"},
    ],
)
def test_bad_adoptions_are_refused_with_a_message(login, building, data):
    space = GardenSpaceFactory(building=building)
    resident = AccountResidentFactory(household__building=building)
    response = login(resident.user).post(
        reverse("gardens:adopt", args=[building.pk, space.pk]), data, follow=True
    )
    assert response.status_code == 200
    assert "请选择季节" in response.content.decode()
    assert not Adoption.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"first_starts_at": "2020-01-01T08:00", "duration_minutes": 30, "weeks": 4},
            "第一次照料必须在将来",
        ),
        ({"first_starts_at": "tomorrow", "duration_minutes": 30, "weeks": 4}, "有效"),
        (
            {
                "first_starts_at": "2099-01-01T08:00",
                "duration_minutes": 30,
                "weeks": 999,
            },
            "26",
        ),
        (
            {"first_starts_at": "2099-01-01T08:00", "duration_minutes": -5, "weeks": 2},
            "10",
        ),
        (
            {"first_starts_at": "9999-12-01T08:00", "duration_minutes": 30, "weeks": 8},
            "请核对年份",
        ),
    ],
)
def test_bad_care_turns_change_nothing(roles, login, building, data, message):
    space = GardenSpaceFactory(building=building)
    response = login(roles.leader).post(
        reverse("gardens:turns", args=[building.pk, space.pk]), data, follow=True
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Shift.objects.filter(task=space.rota).exists()


def test_a_claimed_care_turn_is_reminded_by_the_shift_reminders(building):
    space = GardenSpaceFactory(building=building)
    turn = Shift.objects.create(
        task=space.rota,
        starts_at=timezone.now() + timedelta(hours=5),
        ends_at=timezone.now() + timedelta(hours=6),
    )
    volunteer = AccountResidentFactory(household__building=building)
    claim_shift(shift=turn, resident=volunteer)
    assert send_shift_reminders() == 1
    note = volunteer.user.notifications.get(kind="shift_reminder")
    assert space.name in note.text
    assert note.link == space.rota.get_absolute_url()


def test_a_leader_lists_a_space_with_a_photo_cleaned_of_gps(roles, login, building):
    response = login(roles.leader).post(
        reverse("gardens:create", args=[building.pk]),
        {
            "name": "门厅角落",
            "place": "信箱旁",
            "notes": "虎皮兰",
            "photo": upload(photo_bytes(exif=gps_exif())),
        },
    )
    space = GardenSpace.objects.get(name="门厅角落")
    assert response["Location"] == space.get_absolute_url()
    assert space.photo.name.startswith("gardens/")
    assert b"GPS" not in space.photo.read()
    refused = login(roles.leader).post(
        reverse("gardens:create", args=[building.pk]),
        {"name": "窗台", "place": "二楼", "photo": upload(b"<svg></svg>", "a.svg")},
    )
    assert refused.status_code == 200
    assert not GardenSpace.objects.filter(name="窗台").exists()


def test_the_building_page_shows_the_gardens_card(roles, login, building):
    AdoptionFactory(space=GardenSpaceFactory(building=building))
    GardenSpaceFactory(building=building)
    page = login(roles.resident).get(building.get_absolute_url()).content.decode()
    assert "一尺花园" in page
    assert "2 个空间中有 1 个已认养" in page
    assert reverse("gardens:index", args=[building.pk]) in page


def test_pages_in_english(roles, login, building):
    space = GardenSpaceFactory(building=building)
    AdoptionFactory(space=space, shown_as="anonymous")
    client = login(roles.resident)
    client.cookies["django_language"] = "en"
    index = client.get(
        reverse("gardens:index", args=[building.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "One-foot gardens" in index.content.decode()
    assert "A household of our building" in index.content.decode()
    detail = client.get(space.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert "Care rota" in detail.content.decode()


def test_query_budget_on_a_garden_full_building(
    roles, login, building, django_assert_max_num_queries
):
    seasons = [current_season()]
    for _i in range(7):
        seasons.append(
            date(
                seasons[-1].year - (seasons[-1].month == 3),
                (seasons[-1].month - 4) % 12 + 1,
                1,
            )
        )
    spaces = [GardenSpaceFactory(building=building) for _i in range(15)]
    for space in spaces:
        for season in seasons:
            AdoptionFactory(space=space, season=season, shown_as="name")
        start = timezone.now() + timedelta(days=1)
        Shift.objects.bulk_create(
            Shift(
                task=space.rota,
                starts_at=start + timedelta(weeks=w),
                ends_at=start + timedelta(weeks=w, hours=1),
            )
            for w in range(12)
        )
    for role in ("resident", "leader", "staff"):
        client = login(roles.get(role))
        with django_assert_max_num_queries(12):
            index = client.get(reverse("gardens:index", args=[building.pk]))
        assert index.status_code == 200
        with django_assert_max_num_queries(12):
            detail = client.get(spaces[0].get_absolute_url())
        assert detail.status_code == 200
        assert len(detail.context["history"]) == 7
        assert len(detail.context["turns"]) == 8


def test_a_season_turns_over_by_the_calendar(login, building):
    space = GardenSpaceFactory(building=building)
    with time_machine.travel(date(2026, 5, 20)):
        AdoptionFactory(space=space)
    with time_machine.travel(date(2026, 6, 2)):
        page = login(AccountResidentFactory(household__building=building).user).get(
            space.get_absolute_url()
        )
        assert page.context["adopt_form"] is not None  # summer is free again
        assert [a.season for a in page.context["history"]] == [date(2026, 3, 1)]
