"""The demo data for 议事 loads, and loading it twice changes nothing."""

import io

import pytest
from django.core.management import call_command

from buildings.models import Building
from proposals.models import (
    Ballot,
    ConsultationResponse,
    Convention,
    Meeting,
    Poll,
    Proposal,
)

pytestmark = pytest.mark.django_db


def counts():
    return [
        m.objects.count()
        for m in (Proposal, Poll, Ballot, Convention, Meeting, ConsultationResponse)
    ]


def test_seed_demo_is_idempotent():
    call_command("seed_demo", stdout=io.StringIO())
    first = counts()
    assert all(first)
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first
    building = Building.objects.get(number="8号楼")
    assert Poll.objects.open_now().filter(building=building).exists()
    assert Convention.objects.current_for(building).signatures.count() == 2
    assert Proposal.objects.adopted().filter(kind="fund_use").get().decision_reference
