"""The ledger's rules: append-only, reversals, no overdraft, approvals, matching, check_ledger."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from funds import services
from funds.checks import check_fund
from funds.models import AppendOnlyError, GoodsDonation, LedgerEntry
from tests.factories import AccountResidentFactory, BuildingFactory, StaffFactory
from tests.funds.factories import CampaignFactory, donate, ready_fund, spend

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Service messages are matched in English here; the pages are tested in zh-hans."""
    translation.activate("en")


@pytest.fixture
def setup(building):
    fund, leader, rule = ready_fund(building)
    return fund, leader, rule


# --- Append-only --------------------------------------------------------------------------


def test_entry_cannot_be_saved_again_or_deleted(setup):
    fund, leader, _rule = setup
    entry = donate(fund, leader, "100")
    entry.amount = Decimal("1000.00")
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert LedgerEntry.objects.get(pk=entry.pk).amount == Decimal("100.00")


@pytest.mark.parametrize(
    "attempt",
    [
        lambda: LedgerEntry.objects.update(amount=Decimal("1")),
        lambda: LedgerEntry.objects.filter(kind="donation").update(note="x"),
        lambda: LedgerEntry.objects.all().delete(),
        lambda: LedgerEntry.objects.filter(kind="donation").delete(),
        lambda: LedgerEntry.objects.bulk_update(
            list(LedgerEntry.objects.all()), ["note"]
        ),
        lambda: LedgerEntry.objects.update_or_create(
            pk=LedgerEntry.objects.first().pk, defaults={"note": "x"}
        ),
    ],
    ids=[
        "manager-update",
        "qs-update",
        "qs-delete",
        "filtered-delete",
        "bulk-update",
        "update-or-create",
    ],
)
def test_orm_bulk_changes_are_refused(setup, attempt):
    fund, leader, _rule = setup
    donate(fund, leader, "100")
    with pytest.raises(AppendOnlyError):
        attempt()
    entry = LedgerEntry.objects.get()
    assert entry.amount == Decimal("100.00") and entry.note == ""


def test_goods_are_append_only_too(setup):
    fund, leader, _rule = setup
    goods, _created = services.record_goods(
        fund=fund,
        item="花盆",
        quantity=Decimal("20"),
        unit="盆",
        received_on=timezone.localdate(),
        by=leader,
    )
    with pytest.raises(AppendOnlyError):
        GoodsDonation.objects.update(quantity=Decimal("2"))
    with pytest.raises(AppendOnlyError):
        goods.delete()


def test_admin_cannot_change_or_delete_entries(setup, client):
    fund, leader, _rule = setup
    entry = donate(fund, leader, "100")
    admin = StaffFactory(is_superuser=True)
    client.force_login(admin)
    change = reverse("admin:funds_ledgerentry_change", args=[entry.pk])
    response = client.get(change)
    assert response.status_code == 200  # browsable, read-only
    assert b'name="amount"' not in response.content
    response = client.post(change, {"amount": "1000", "note": "edited"})
    assert response.status_code == 403
    response = client.post(
        reverse("admin:funds_ledgerentry_delete", args=[entry.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert client.get(reverse("admin:funds_ledgerentry_add")).status_code == 403
    response = client.post(
        reverse("admin:funds_ledgerentry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert LedgerEntry.objects.get(pk=entry.pk).amount == Decimal("100.00")
    assert client.get(reverse("admin:funds_ledgerentry_changelist")).status_code == 200


def test_no_edit_or_delete_url_exists_for_entries(setup, login):
    fund, leader, _rule = setup
    entry = donate(fund, leader, "100")
    client = login(leader)
    base = reverse("funds:entry", args=[fund.building_id, entry.pk])
    for suffix in ["edit/", "delete/", "update/"]:
        assert client.post(base + suffix, {"amount": "1"}).status_code == 404
    # Posting to the detail page changes nothing either.
    assert client.post(base, {"amount": "1"}).status_code in (200, 405)
    assert LedgerEntry.objects.get(pk=entry.pk).amount == Decimal("100.00")


# --- Reversals ----------------------------------------------------------------------------


def test_reversal_mirrors_and_is_shown_with_reason(setup):
    fund, leader, _rule = setup
    entry = donate(fund, leader, "500")
    reversal, created = services.reverse_entry(
        entry=entry, reason="多打了一个零", by=leader
    )
    assert created
    assert reversal.amount == Decimal("-500.00") and reversal.reverses == entry
    assert fund.entries.balance() == Decimal("0.00")
    with pytest.raises(ValidationError, match="already been reversed"):
        services.reverse_entry(entry=entry, reason="again", by=leader)
    with pytest.raises(ValidationError, match="cannot be reversed"):
        services.reverse_entry(entry=reversal, reason="undo", by=leader)
    with pytest.raises(ValidationError, match="why"):
        services.reverse_entry(entry=donate(fund, leader, "5"), reason="  ", by=leader)
    assert check_fund(fund) == []


def test_reversing_a_donation_cannot_make_the_balance_negative(setup):
    fund, leader, rule = setup
    gift = donate(fund, leader, "100")
    spend(fund, leader, "80", rule)
    with pytest.raises(ValidationError, match="below zero"):
        services.reverse_entry(entry=gift, reason="退回", by=leader)
    assert fund.entries.balance() == Decimal("20.00")


def test_reversing_an_expense_gives_the_money_back(setup):
    fund, leader, rule = setup
    donate(fund, leader, "100")
    expense = spend(fund, leader, "30", rule)
    services.reverse_entry(entry=expense, reason="店家退款", by=leader)
    totals = fund.entries.totals()
    assert totals["spent"] == Decimal("0.00") and totals["balance"] == Decimal("100.00")


# --- Expenses -----------------------------------------------------------------------------


def test_expense_never_takes_the_balance_below_zero(setup):
    fund, leader, rule = setup
    donate(fund, leader, "100")
    spend(fund, leader, "100", rule)
    with pytest.raises(ValidationError, match="below zero"):
        spend(fund, leader, "0.01", rule)
    assert fund.entries.balance() == Decimal("0.00")


def test_expense_above_threshold_needs_an_approval(setup):
    fund, leader, rule = setup
    donate(fund, leader, "2000")
    spend(fund, leader, "500", rule, approval_text="")  # at the threshold: fine
    with pytest.raises(ValidationError, match="approved"):
        spend(fund, leader, "500.01", rule, approval_text="  ")
    spend(fund, leader, "600", rule, approval_text="2026-11-20 议事会决议第3项")
    fund.approval_threshold = Decimal("1000.00")
    fund.save()
    spend(fund, leader, "800", rule, approval_text="")
    assert fund.entries.balance() == Decimal("100.00")


def test_expense_cites_an_adopted_proposal_of_the_building(setup, client):
    from tests.proposals.deliberation.factories import ProposalFactory

    fund, leader, rule = setup
    donate(fund, leader, "2000")
    adopted = ProposalFactory(
        building=fund.building,
        status="adopted",
        decided_at=timezone.now(),
        title="换铁门",
    )
    entry = spend(
        fund, leader, "900", rule, approval_text="", approving_proposal=adopted
    )
    assert entry.approving_proposal == adopted
    assert entry.approval_text == adopted.decision_reference
    for proposal in [
        ProposalFactory(building=fund.building, status="discussion"),
        ProposalFactory(
            status="adopted", decided_at=timezone.now()
        ),  # another building
    ]:
        with pytest.raises(ValidationError, match="adopted"):
            spend(fund, leader, "10", rule, approving_proposal=proposal)
    assert fund.entries.filter(kind="expense").count() == 1
    client.force_login(leader)
    page = client.get(entry.get_absolute_url()).content.decode()
    assert adopted.get_absolute_url() in page


def test_expense_must_name_an_allowed_rule_of_the_current_version(setup):
    fund, leader, rule = setup
    donate(fund, leader, "100")
    forbidden = rule.ruleset.rules.get(allowed=False)
    with pytest.raises(ValidationError):
        spend(fund, leader, "10", forbidden)
    with pytest.raises(ValidationError):
        spend(fund, leader, "10", None)
    other_fund, other_leader, other_rule = ready_fund(BuildingFactory())
    with pytest.raises(ValidationError):
        spend(fund, leader, "10", other_rule)
    services.adopt_rules(
        fund=fund,
        allowed=["新规则"],
        forbidden=[],
        categories=["类"],
        adopted_on=timezone.localdate(),
        adopted_how="v2",
        by=leader,
    )
    with pytest.raises(ValidationError, match="changed"):
        spend(fund, leader, "10", rule)
    assert fund.entries.balance() == Decimal("100.00")


def test_future_dates_are_refused(setup):
    fund, leader, rule = setup
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError, match="future"):
        donate(fund, leader, "10", occurred_on=tomorrow)
    donate(fund, leader, "10")
    with pytest.raises(ValidationError, match="future"):
        spend(fund, leader, "5", rule, occurred_on=tomorrow)
    assert fund.entries.count() == 1


def test_same_token_gives_one_entry(setup):
    fund, leader, _rule = setup
    token = uuid.uuid4()
    first, created_first = services.record_donation(
        fund=fund,
        amount=Decimal("50"),
        occurred_on=timezone.localdate(),
        by=leader,
        token=token,
    )
    second, created_second = services.record_donation(
        fund=fund,
        amount=Decimal("50"),
        occurred_on=timezone.localdate(),
        by=leader,
        token=token,
    )
    assert created_first and not created_second and first.pk == second.pk
    assert fund.entries.count() == 1


def test_a_goods_token_of_another_fund_is_refused_with_a_message(setup):
    """The goods form's token is unique across funds: reused in another building's
    form, it is refused as for money, not a 500 from the unique index."""
    fund, leader, _rule = setup
    other_fund, other_leader, _other_rule = ready_fund(BuildingFactory())
    token = uuid.uuid4()
    services.record_goods(
        fund=fund,
        item="花盆",
        quantity=Decimal("2"),
        unit="盆",
        received_on=timezone.localdate(),
        by=leader,
        token=token,
    )
    with pytest.raises(ValidationError, match="another fund"):
        services.record_goods(
            fund=other_fund,
            item="花盆",
            quantity=Decimal("2"),
            unit="盆",
            received_on=timezone.localdate(),
            by=other_leader,
            token=token,
        )
    assert GoodsDonation.objects.count() == 1


# --- Donors and matching ------------------------------------------------------------------------


def test_public_donor_names(setup):
    fund, leader, _rule = setup
    resident = AccountResidentFactory(
        household__building=fund.building, household__room="302", name="张阿姨"
    )
    shown = {
        "name": donate(fund, leader, "1", donor_resident=resident, public_name="name"),
        "room": donate(fund, leader, "1", donor_resident=resident, public_name="room"),
        "anonymous": donate(
            fund, leader, "1", donor_resident=resident, public_name="anonymous"
        ),
        "outside": donate(fund, leader, "1", donor_name="物业公司", public_name="name"),
    }
    assert shown["name"].public_donor() == "张阿姨"
    assert shown["room"].public_donor() == "Room 302"
    assert shown["anonymous"].public_donor() == "Anonymous"
    with translation.override("zh-hans"):
        assert shown["room"].public_donor() == "302室"
        assert shown["anonymous"].public_donor() == "匿名"
    assert shown["outside"].public_donor() == "物业公司"
    with pytest.raises(ValidationError):
        donate(fund, leader, "1", donor_name="路人", public_name="room")
    outsider = AccountResidentFactory(household__building=BuildingFactory())
    with pytest.raises(ValidationError):
        donate(fund, leader, "1", donor_resident=outsider, public_name="name")
    # The donor with an account is told their gift is on the ledger.
    assert resident.user.notifications.filter(kind="fund_donation").count() == 3


def test_matching_grant_follows_ratio_and_cap(setup):
    fund, leader, _rule = setup
    fund.matching_ratio, fund.matching_cap = Decimal("1.00"), Decimal("1000.00")
    fund.save()
    donate(fund, leader, "600")
    with pytest.raises(ValidationError, match="allows"):
        services.record_matching_grant(
            fund=fund,
            amount=Decimal("600.01"),
            occurred_on=timezone.localdate(),
            by=leader,
        )
    services.record_matching_grant(
        fund=fund, amount=Decimal("600"), occurred_on=timezone.localdate(), by=leader
    )
    donate(fund, leader, "900")
    with pytest.raises(ValidationError):
        services.record_matching_grant(
            fund=fund,
            amount=Decimal("400.01"),
            occurred_on=timezone.localdate(),
            by=leader,
        )
    services.record_matching_grant(
        fund=fund, amount=Decimal("400"), occurred_on=timezone.localdate(), by=leader
    )
    totals = fund.entries.totals()
    assert {key: totals[key] for key in ("raised", "matched", "spent", "balance")} == {
        "raised": Decimal("1500.00"),
        "matched": Decimal("1000.00"),
        "spent": Decimal("0.00"),
        "balance": Decimal("2500.00"),
    }


# --- Goods ---------------------------------------------------------------------------------


def test_goods_stock_never_below_zero_and_never_in_money(setup):
    fund, leader, _rule = setup
    goods, _created = services.record_goods(
        fund=fund,
        item="花盆",
        quantity=Decimal("20"),
        unit="盆",
        received_on=timezone.localdate(),
        by=leader,
    )
    services.use_goods(
        goods=goods,
        quantity=Decimal("15"),
        used_for="一尺花园",
        occurred_on=timezone.localdate(),
        by=leader,
    )
    with pytest.raises(ValidationError, match="left"):
        services.use_goods(
            goods=goods,
            quantity=Decimal("6"),
            used_for="x",
            occurred_on=timezone.localdate(),
            by=leader,
        )
    assert fund.entries.balance() == Decimal("0.00")
    assert check_fund(fund) == []


# --- check_ledger -------------------------------------------------------------------------------


def test_check_ledger_passes_on_a_healthy_ledger(setup, capsys):
    fund, leader, rule = setup
    donate(fund, leader, "100")
    spend(fund, leader, "40", rule)
    services.reverse_entry(entry=donate(fund, leader, "5"), reason="错记", by=leader)
    call_command("check_ledger")
    assert "Ledger OK" in capsys.readouterr().out


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE funds_ledgerentry SET amount = 1000 WHERE id = %s",
        "UPDATE funds_ledgerentry SET note = 'changed' WHERE id = %s",
        "UPDATE funds_ledgerentry SET occurred_on = '2020-01-01' WHERE id = %s",
    ],
)
def test_check_ledger_catches_a_row_changed_by_raw_sql(setup, sql, capsys):
    fund, leader, rule = setup
    entry = donate(fund, leader, "100")
    spend(fund, leader, "40", rule)
    with connection.cursor() as cursor:
        cursor.execute(sql, [entry.pk])
    with pytest.raises(CommandError) as info:
        call_command("check_ledger")
    assert info.value.returncode == 1
    assert f"#{entry.pk}" in capsys.readouterr().err


def test_check_ledger_catches_a_deleted_row_and_a_negative_balance(setup, capsys):
    fund, leader, rule = setup
    gift = donate(fund, leader, "100")
    spend(fund, leader, "60", rule)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM funds_ledgerentry WHERE id = %s", [gift.pk])
    problems = check_fund(fund)
    assert any("below zero" in problem for problem in problems)
    assert any("changed" in problem for problem in problems)  # the chain lost a link


def test_a_model_form_cannot_change_an_entry(setup):
    from django.forms import modelform_factory

    fund, leader, _rule = setup
    entry = donate(fund, leader, "100")
    form = modelform_factory(LedgerEntry, fields=["amount", "note"])(
        {"amount": "1", "note": "改过"}, instance=entry
    )
    assert form.is_valid()
    with pytest.raises(AppendOnlyError):
        form.save()
    assert LedgerEntry.objects.get(pk=entry.pk).amount == Decimal("100.00")


def test_the_donors_own_choice_caps_what_is_shown(setup, client):
    from tests.factories import AccountResidentFactory

    fund, leader, _rule = setup
    donor = AccountResidentFactory(household__building=fund.building, name="张阿姨")
    client.force_login(donor.user)
    client.post(reverse("buildings:public-display-update"), {"public_display": "room"})
    donor.refresh_from_db()
    assert donor.public_display == "room"
    entry = donate(fund, leader, "20", donor_resident=donor, public_name="name")
    assert entry.public_name == "room"  # the donor asked for their room only
    private = donate(fund, leader, "5", donor_resident=donor, public_name="anonymous")
    assert private.public_name == "anonymous"  # the leader may always show less
    statement = client.get(
        reverse("funds:statement", args=[fund.building.pk])
    ).content.decode()
    assert "张阿姨" not in statement


def test_a_bad_public_display_choice_changes_nothing(setup, client):
    from tests.factories import AccountResidentFactory

    fund, _leader, _rule = setup
    donor = AccountResidentFactory(household__building=fund.building)
    client.force_login(donor.user)
    client.post(reverse("buildings:public-display-update"), {"public_display": "shout"})
    donor.refresh_from_db()
    assert donor.public_display == ""


def test_sums_of_cents_are_exact_on_every_database(setup):
    """0.1 + 0.2, and a gift of 0.3 made and reversed: SQLite adds decimals as floats, so
    a campaign's money, a fund's balance and the goods left must be rounded back to cents."""
    fund, leader, _rule = setup
    campaign = CampaignFactory(fund=fund, created_by=leader, goal=Decimal("0.30"))
    for amount in ("0.1", "0.2"):
        donate(fund, leader, amount, campaign=campaign)
    mistake = donate(fund, leader, "0.3", campaign=campaign)
    services.reverse_entry(entry=mistake, reason="记重了", by=leader)
    raised = fund.campaigns.with_progress().get(pk=campaign.pk).raised_sum
    assert raised == Decimal("0.30") and str(raised.quantize(Decimal("0.01"))) == "0.30"
    balance = type(fund).objects.with_balance().get(pk=fund.pk).balance_sum
    assert balance == Decimal("0.30")
    goods, _created = services.record_goods(
        fund=fund,
        item="花盆",
        quantity=Decimal("0.3"),
        unit="盆",
        received_on=timezone.localdate(),
        by=leader,
    )
    for quantity in ("0.1", "0.2"):
        services.use_goods(
            goods=goods,
            quantity=Decimal(quantity),
            used_for="一尺花园",
            occurred_on=timezone.localdate(),
            by=leader,
        )
    left = GoodsDonation.objects.with_stock().get(pk=goods.pk)
    assert (left.used_sum, left.in_stock) == (Decimal("0.3"), Decimal("0"))
