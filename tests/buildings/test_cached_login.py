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
