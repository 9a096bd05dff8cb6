from io import StringIO

import pytest
from django.core.management import call_command

from activities.models import Activity, Registration, Shift

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent():
    call_command("seed_demo", stdout=StringIO())
    counts = (
        Activity.objects.count(),
        Registration.objects.count(),
        Shift.objects.count(),
    )
    assert counts[0] == 3 and counts[1] == 7 and counts[2] == 8
    planting = Activity.objects.get(title="一尺花园亲子种花")
    assert planting.registrations.confirmed_people() == 4
    assert planting.registrations.waitlisted().count() == 2
    call_command("seed_demo", stdout=StringIO())
    assert (
        Activity.objects.count(),
        Registration.objects.count(),
        Shift.objects.count(),
    ) == counts
