"""Members of one household see the household's sign-ups and are not shown a form the
household quota would refuse."""

import pytest

from activities import services
from tests.activities.factories import ActivityFactory
from tests.factories import AccountResidentFactory, HouseholdFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(building):
    household = HouseholdFactory(building=building, room="302")
    mum = AccountResidentFactory(household=household, name="张妈妈")
    dad = AccountResidentFactory(household=household, name="张爸爸")
    return mum, dad


def test_a_full_household_quota_shows_who_signed_up_and_no_form(family, login):
    mum, dad = family
    activity = ActivityFactory(
        building=mum.household.building,
        max_adults_per_household=1,
        max_children_per_household=1,
    )
    services.sign_up(activity=activity, resident=mum, adults=1, children=1)
    html = login(dad.user).get(activity.get_absolute_url()).content.decode()
    assert "您家已报名的人" in html and "张妈妈" in html
    assert "名额已经用完" in html
    assert 'name="adults"' not in html
    # Opened again (from the page cache, verified against a fresh render): the same.
    again = login(dad.user).get(activity.get_absolute_url()).content.decode()
    assert "名额已经用完" in again and 'name="adults"' not in again


def test_places_left_are_told_before_the_form(family, login):
    mum, dad = family
    activity = ActivityFactory(
        building=mum.household.building, max_adults_per_household=2
    )
    services.sign_up(activity=activity, resident=mum, adults=1, children=0)
    html = login(dad.user).get(activity.get_absolute_url()).content.decode()
    assert "张妈妈" in html
    assert "您家还可以报名 1 位大人" in html
    assert 'name="adults"' in html


def test_without_a_quota_the_household_is_still_shown(family, login):
    mum, dad = family
    activity = ActivityFactory(building=mum.household.building)
    services.sign_up(activity=activity, resident=mum, adults=2, children=0)
    client = login(dad.user)
    client.cookies["django_language"] = "en"
    html = client.get(activity.get_absolute_url()).content.decode()
    assert "Signed up from your household" in html and "张妈妈" in html
    assert 'name="adults"' in html


def test_a_neighbour_sees_no_household_of_others(family, login):
    mum, dad = family
    activity = ActivityFactory(building=mum.household.building)
    services.sign_up(activity=activity, resident=mum, adults=1, children=0)
    neighbour = AccountResidentFactory(household__building=mum.household.building)
    html = login(neighbour.user).get(activity.get_absolute_url()).content.decode()
    assert "您家已报名的人" not in html


def test_activity_page_queries_stay_few(family, login, django_assert_max_num_queries):
    mum, dad = family
    activity = ActivityFactory(
        building=mum.household.building, max_adults_per_household=8, capacity=40
    )
    services.sign_up(activity=activity, resident=mum, adults=1, children=0)
    for _i in range(6):
        services.sign_up(
            activity=activity,
            resident=AccountResidentFactory(household=mum.household),
            adults=1,
            children=0,
        )
    client = login(dad.user)
    with django_assert_max_num_queries(12):
        html = client.get(activity.get_absolute_url()).content.decode()
    assert "您家还可以报名 1 位大人" in html
