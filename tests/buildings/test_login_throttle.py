"""Log-in throttling locks one phone number from one address, never a whole address."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.concurrency import requires_postgres, storm
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pass-word-123"


def attempt(phone, password, address="10.1.1.1"):
    client = Client(REMOTE_ADDR=address)
    return client, client.post(
        reverse("login"), {"username": phone, "password": password}
    )


def test_right_password_logs_in(settings):
    user = UserFactory()
    client, response = attempt(user.phone, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_wrong_password_message_is_clear():
    user = UserFactory()
    _client, response = attempt(user.phone, "wrong")
    assert "手机号或密码不对" in response.content.decode()


def test_repeated_failures_lock_that_phone_from_that_address(settings):
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(user.phone, "wrong")
    _client, response = attempt(user.phone, PASSWORD)
    assert response.status_code == 429
    assert "尝试次数太多" in response.content.decode()


def test_a_neighbour_behind_the_same_address_is_not_locked_out(settings):
    victim, neighbour = UserFactory(), UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        attempt(victim.phone, "wrong", address="10.9.9.9")
    _client, response = attempt(neighbour.phone, PASSWORD, address="10.9.9.9")
    assert response.status_code == 302


def test_spaced_phone_counts_as_the_same_number(settings):
    UserFactory(phone="13911112222")
    for index in range(settings.AXES_FAILURE_LIMIT):
        spaced = "139 1111 2222" if index % 2 else "13911112222"
        attempt(spaced, "wrong")
    _client, response = attempt("13911112222", PASSWORD)
    assert response.status_code == 429


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_a_burst_of_parallel_failures_still_locks_out(settings):
    user = UserFactory()
    _results, errors = storm(20, lambda i: attempt(user.phone, "wrong")[1].status_code)
    assert errors == []
    _client, response = attempt(user.phone, PASSWORD)
    assert response.status_code == 429
