"""A burst of parallel code requests cannot slip past the limits (PostgreSQL), and the
twin with the guard switched off shows the guard is what holds them."""

import pytest

from buildings import codes
from buildings.models import PhoneCode
from core.sms import console
from tests.concurrency import requires_postgres, storm
from tests.factories import UserFactory

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]


def burst_for_one_phone(n=20):
    UserFactory(phone="13800000003")

    def ask(i):
        try:
            codes.request_code(
                phone="13800000003", purpose="login", address=f"10.0.0.{i}"
            )
        except codes.CodeRefused:
            return "refused"
        return "asked"

    return storm(n, ask)


def burst_from_one_address(n):
    def ask(i):
        try:
            codes.request_code(
                phone=f"139000000{i:02d}", purpose="login", address="10.9.9.9"
            )
        except codes.CodeRefused:
            return "refused"
        return "asked"

    return storm(n, ask)


def test_burst_for_one_number_makes_one_code(settings):
    settings.LOUZU_RACE_PAUSE = 0.05
    console.outbox.clear()
    results, errors = burst_for_one_phone()
    assert errors == []
    assert results.count("asked") == 1
    assert PhoneCode.objects.count() == 1
    assert len(console.outbox) == 1


def test_burst_from_one_address_stops_at_its_limit(settings):
    settings.LOUZU_RACE_PAUSE = 0.05
    settings.LOUZU_CODES_PER_ADDRESS_PER_HOUR = 5
    results, errors = burst_from_one_address(15)
    assert errors == []
    assert results.count("asked") == 5
    assert PhoneCode.objects.filter(address="10.9.9.9").count() == 5


def test_twin_without_the_guard_the_burst_slips_past(settings):
    settings.LOUZU_RACE_PAUSE = 0.05
    settings.LOUZU_GUARDS_OFF = True
    results, errors = burst_for_one_phone()
    assert errors == []
    assert PhoneCode.objects.count() > 1  # the limit of one a minute is broken
