"""The log-in read from the cache (buildings.backends.CachedModelBackend) never outlives a
change to the person: a new password, a deactivation, a new role, leaving."""

import pytest
from django.test import Client
from django.urls import reverse

from buildings.models import Resident

pytestmark = pytest.mark.django_db


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def building_url(building):
    return reverse("buildings:detail", args=[building.pk])


def test_the_user_is_read_from_the_cache_after_the_first_request(
    roles, settings, django_assert_max_num_queries
):
    settings.LOUZU_PAGE_CACHE_VERIFY = False
    client = logged_in(roles.resident)
    url = building_url(roles.building)
    client.get(url)
    client.get(url)
    # The session (in the database here; in Redis in production), then the personal
    # blocks: votes waiting, unread count, household members.
    with django_assert_max_num_queries(4) as queries:
        assert client.get(url).status_code == 200
    tables = [q["sql"].split(" FROM ")[1].split()[0] for q in queries.captured_queries]
    assert '"buildings_user"' not in tables
    assert not any(
        '"buildings_resident"."user_id" =' in q["sql"] for q in queries.captured_queries
    )


def test_a_new_password_ends_other_sessions_at_once(roles):
    other_phone = logged_in(roles.resident)
    url = building_url(roles.building)
    assert other_phone.get(url).status_code == 200
    user = roles.resident
    user.set_password("a-new-long-password")
    user.save()
    response = other_phone.get(url)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_deactivated_account_is_out_at_once(roles):
    client = logged_in(roles.resident)
    url = building_url(roles.building)
    assert client.get(url).status_code == 200
    roles.resident.is_active = False
    roles.resident.save()
    assert client.get(url).status_code == 302


def test_a_new_role_shows_on_the_next_page(roles):
    client = logged_in(roles.resident)
    url = building_url(roles.building)
    assert "楼组长工具" not in client.get(url).content.decode()
    membership = roles.resident.memberships.get()
    membership.role = Resident.Role.LEADER
    membership.save()
    assert "楼组长工具" in client.get(url).content.decode()


def test_an_approval_by_the_leader_applies_at_once(roles):
    """The change comes from another person's request, not from this one."""
    client = logged_in(roles.pending)
    url = building_url(roles.building)
    assert client.get(url).status_code == 404
    membership = roles.pending.memberships.get()
    response = logged_in(roles.leader).post(
        reverse(
            "buildings:decide-join", args=[roles.building.pk, membership.pk, "approve"]
        )
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.status == Resident.Status.APPROVED
    assert client.get(url).status_code == 200


def test_leaving_the_building_applies_at_once(roles):
    client = logged_in(roles.resident)
    url = building_url(roles.building)
    assert client.get(url).status_code == 200
    membership = roles.resident.memberships.get()
    membership.status = Resident.Status.LEFT
    membership.save()
    assert client.get(url).status_code == 404


def _asks_to_join_my_household(roles, name):
    from tests.factories import AccountResidentFactory

    household = roles.resident.memberships.get().household
    return AccountResidentFactory(household=household, status="pending", name=name)


def _approve(roles, newcomer):
    url = reverse(
        "buildings:decide-join", args=[roles.building.pk, newcomer.pk, "approve"]
    )
    assert logged_in(roles.leader).post(url).status_code == 302


def test_a_new_member_of_my_household_shows_on_my_next_page(roles):
    """The cached log-in keeps the household's members; a change to any of them
    (made by someone else) reaches every member of the household at once."""
    newcomer = _asks_to_join_my_household(roles, "陈小明")
    client = logged_in(roles.resident)
    url = building_url(roles.building)
    assert "陈小明" not in client.get(url).content.decode()
    client.get(url)  # from the cache now
    _approve(roles, newcomer)
    assert "陈小明" in client.get(url).content.decode()


def test_without_the_household_bump_the_cached_members_would_be_stale(
    roles, monkeypatch
):
    """Twin: with changes to residents not reaching their household's log-ins, the
    new member would be missing."""
    from core import pagecache

    monkeypatch.setattr(pagecache, "_users_of_households", lambda households: set())
    newcomer = _asks_to_join_my_household(roles, "陈小明")
    client = logged_in(roles.resident)
    url = building_url(roles.building)
    client.get(url)
    _approve(roles, newcomer)
    assert "陈小明" not in client.get(url).content.decode()


def test_pages_the_cache_does_not_keep_read_the_person_afresh(roles, monkeypatch):
    """The cached log-in serves only the reads of cached pages. With the household bump
    off (the twin above: the building page keeps the stale members), "my page", which the
    cache does not keep, still shows the new member: it read the person from the
    database."""
    from core import pagecache

    monkeypatch.setattr(pagecache, "_users_of_households", lambda households: set())
    newcomer = _asks_to_join_my_household(roles, "陈小明")
    client = logged_in(roles.resident)
    client.get(building_url(roles.building))
    client.get(building_url(roles.building))  # the person is in the cache now
    _approve(roles, newcomer)
    assert "陈小明" not in client.get(building_url(roles.building)).content.decode()
    assert "陈小明" in client.get(reverse("buildings:me")).content.decode()


def test_a_write_reads_the_person_from_the_database(roles, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.LOUZU_PAGE_CACHE_VERIFY = False
    client = logged_in(roles.resident)
    client.get(building_url(roles.building))
    client.get(building_url(roles.building))  # the person is in the cache now
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("buildings:talents-update"), {})
    assert response.status_code in (200, 302)
    assert any('FROM "buildings_user"' in q["sql"] for q in queries.captured_queries)
