import pytest
from django.core.management import call_command

from funds.checks import check_all
from funds.models import Campaign, GoodsDonation, LedgerEntry, Receipt

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_its_ledger_is_clean(capsys):
    call_command("seed_demo")
    counts = (
        LedgerEntry.objects.count(),
        Campaign.objects.count(),
        GoodsDonation.objects.count(),
    )
    assert counts[0] >= 10 and counts[1] == 1 and counts[2] == 2
    assert set(LedgerEntry.objects.values_list("kind", flat=True)) == {
        "donation",
        "expense",
        "matching",
        "reversal",
    }
    assert Receipt.objects.filter(confirmed_at__isnull=False).count() == 1
    call_command("seed_demo")
    assert (
        LedgerEntry.objects.count(),
        Campaign.objects.count(),
        GoodsDonation.objects.count(),
    ) == counts
    assert check_all()[2] == []
