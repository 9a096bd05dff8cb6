"""One "me too" per resident, proven on PostgreSQL with concurrent requests.

Two guards: the issue row is locked before the check, and a UniqueConstraint backs it
up (a duplicate that slips through becomes the same clear message). The twin switches
both off (LOUZU_GUARDS_OFF and the constraint dropped) and must show duplicates; a
third test keeps only the constraint and shows it alone still holds.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from buildings.models import Resident
from proposals.issues import services
from proposals.models import IssueSupport
from tests.concurrency import requires_postgres, storm
from tests.factories import AccountResidentFactory
from tests.proposals.factories import IssueFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    requires_postgres,
    pytest.mark.postgres,
]
N = 20
CONSTRAINT = "issue_support_once_per_resident"


@pytest.fixture
def setup(db):
    issue = IssueFactory()
    resident = AccountResidentFactory(household__building=issue.building)
    return issue, resident


def me_too_storm(issue, resident):
    def press(_i):
        try:
            services.support_issue(
                issue=issue, resident=Resident.objects.get(pk=resident.pk)
            )
            return "counted"
        except ValidationError:
            return "already"

    return storm(N, press)


@pytest.fixture
def without_constraint():
    table = IssueSupport._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{CONSTRAINT}"')
    yield
    IssueSupport.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(
            f'ALTER TABLE "{table}" ADD CONSTRAINT "{CONSTRAINT}" UNIQUE ("issue_id", "resident_id")'
        )


def test_twenty_concurrent_me_too_make_one_row(setup, settings):
    settings.LOUZU_RACE_PAUSE = 0.05
    issue, resident = setup
    results, errors = me_too_storm(issue, resident)
    assert errors == []
    assert IssueSupport.objects.filter(issue=issue, resident=resident).count() == 1
    assert sorted(results) == ["already"] * (N - 1) + ["counted"]


def test_twin_without_guards_makes_duplicates(setup, settings, without_constraint):
    settings.LOUZU_RACE_PAUSE = 0.05
    settings.LOUZU_GUARDS_OFF = True
    issue, resident = setup
    results, errors = me_too_storm(issue, resident)
    assert errors == []
    assert (
        IssueSupport.objects.filter(issue=issue, resident=resident).count() > 1
    )  # the invariant breaks


def test_the_constraint_alone_still_holds(setup, settings):
    settings.LOUZU_RACE_PAUSE = 0.05
    settings.LOUZU_GUARDS_OFF = True
    issue, resident = setup
    results, errors = me_too_storm(issue, resident)
    assert errors == []  # the IntegrityError became the clear "already" message
    assert IssueSupport.objects.filter(issue=issue, resident=resident).count() == 1
    assert results.count("counted") == 1
