"""`manage.py seed_demo`: the demo community has what each app's pages need, and loading
it twice changes nothing (every table has as many rows after the second run).

Seeded twice once for the module, and rolled back after it, rather than twice in every
app's own test: each app's checks below read the same data."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from activities.models import Activity, Registration, Shift
from buildings.models import Building, Resident, User
from funds.checks import check_all
from funds.models import Campaign, GoodsDonation, LedgerEntry, Receipt
from proposals.models import Convention, Issue, Poll, Proposal
from tests.module_data import built_once

# One xdist worker runs them all (--dist loadgroup): loading the demo twice takes far
# longer than the tests that read it, so it is done once, not once a worker.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count() for model in apps.get_models()
    }


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Row counts of every table after the first and after the second run."""
    yield from built_once(django_db_blocker, _seeded_twice)


def _seeded_twice():
    call_command("seed_demo", stdout=StringIO())
    first = row_counts()
    call_command("seed_demo", stdout=StringIO())
    return first, row_counts()


def test_loading_twice_adds_nothing_anywhere(seeded):
    first, again = seeded
    assert again == first
    for label in (
        "buildings.User",
        "buildings.Building",
        "buildings.Household",
        "buildings.Resident",
        "buildings.Announcement",
        "buildings.Talent",
        "proposals.Issue",
        "proposals.IssueEvent",
        "proposals.IssueSupport",
        "proposals.IssuePhoto",
        "proposals.Proposal",
        "proposals.Poll",
        "proposals.Ballot",
        "proposals.Convention",
        "proposals.Meeting",
        "proposals.ConsultationResponse",
    ):
        assert first[label], label


def test_buildings(seeded):
    assert Building.objects.filter(is_pilot=True).count() == 2
    assert set(Resident.objects.values_list("role", flat=True)) == {
        "resident",
        "team",
        "leader",
    }
    assert User.objects.filter(is_staff=True).exists()
    assert Resident.objects.filter(
        user__isnull=True, registered_by__isnull=False
    ).exists()


def test_issues_in_every_status(seeded):
    assert set(Issue.objects.values_list("status", flat=True)) == set(
        Issue.Status.values
    )
    assert Issue.objects.filter(is_anonymous=True).exists()
    assert Issue.objects.overdue().filter(title="电瓶车停在门厅充电").exists()
    assert Issue.objects.get(title="电瓶车停在门厅充电").reporter.name == "钱奶奶"


def test_deliberation(seeded):
    building = Building.objects.get(number="8号楼")
    assert Poll.objects.open_now().filter(building=building).exists()
    assert Convention.objects.current_for(building).signatures.count() == 2
    assert Proposal.objects.adopted().filter(kind="fund_use").get().decision_reference


def test_funds_and_a_clean_ledger(seeded):
    assert LedgerEntry.objects.count() >= 10
    assert Campaign.objects.count() == 1
    assert GoodsDonation.objects.count() == 2
    assert set(LedgerEntry.objects.values_list("kind", flat=True)) == {
        "donation",
        "expense",
        "matching",
        "reversal",
    }
    assert Receipt.objects.filter(confirmed_at__isnull=False).count() == 1
    assert check_all()[2] == []


def test_activities(seeded):
    assert Activity.objects.count() == 3
    assert Registration.objects.count() == 7
    assert Shift.objects.count() == 8
    planting = Activity.objects.get(title="一尺花园亲子种花")
    assert planting.registrations.confirmed_people() == 4
    assert planting.registrations.waitlisted().count() == 2
