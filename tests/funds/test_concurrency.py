"""PostgreSQL proofs: the fund lock keeps the balance >= 0; a double tap makes one entry."""

import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buildings.models import Notification
from funds import changes, services
from funds.checks import check_fund
from funds.models import CampaignNeed, Fund, LedgerEntry, Pledge
from tests.concurrency import requires_postgres, storm
from tests.factories import AccountResidentFactory
from tests.funds.factories import CampaignFactory, donate, ready_fund

pytestmark = [
    pytest.mark.django_db(transaction=True),
    requires_postgres,
    pytest.mark.postgres,
]


def running_balances(fund):
    balance, lowest = Decimal("0"), Decimal("0")
    for amount in (
        LedgerEntry.objects.filter(fund=fund)
        .order_by("pk")
        .values_list("amount", flat=True)
    ):
        balance += amount
        lowest = min(lowest, balance)
    return balance, lowest


def fifty_expenses(fund, leader, rule):
    def spend(i):
        try:
            entry, _created = services.record_expense(
                fund=Fund.objects.get(pk=fund.pk),
                amount=Decimal("30.00"),
                occurred_on=timezone.localdate(),
                payee=f"店家{i}",
                purpose="买花",
                usage_rule=rule,
                by=leader,
            )
            return entry.pk
        except ValidationError:
            return None

    return storm(50, spend)


def test_fifty_concurrent_expenses_against_a_fund_that_can_afford_three(settings):
    settings.LOUZU_RACE_PAUSE = 0.02
    fund, leader, rule = ready_fund()
    donate(fund, leader, "100.00")
    results, errors = fifty_expenses(fund, leader, rule)
    assert errors == []
    assert len([pk for pk in results if pk]) == 3
    balance, lowest = running_balances(fund)
    assert balance == Decimal("10.00")
    assert lowest >= 0
    assert check_fund(fund) == []


def test_twin_without_the_lock_goes_negative(settings):
    settings.LOUZU_GUARDS_OFF = True
    settings.LOUZU_RACE_PAUSE = 0.05
    fund, leader, rule = ready_fund()
    donate(fund, leader, "100.00")
    results, errors = fifty_expenses(fund, leader, rule)
    assert errors == []
    accepted = len([pk for pk in results if pk])
    balance, lowest = running_balances(fund)
    # Without the row lock every writer saw ¥100 and believed it could pay.
    assert accepted > 3
    assert balance < 0
    assert check_fund(fund) != []  # and check_ledger notices


def test_double_tapped_save_donation_creates_one_entry(settings):
    settings.LOUZU_RACE_PAUSE = 0.02
    fund, leader, _rule = ready_fund()
    token = str(uuid.uuid4())
    url = reverse("funds:donation-create", args=[fund.building_id])
    data = {
        "token": token,
        "amount": "50",
        "occurred_on": timezone.localdate().isoformat(),
        "public_name": "anonymous",
        "paid_by": "wechat",
    }

    def tap(i):
        client = Client()
        client.force_login(leader)
        return client.post(url, data).status_code

    results, errors = storm(5, tap)
    assert errors == []
    assert results == [302] * 5
    assert LedgerEntry.objects.filter(fund=fund).count() == 1
    assert LedgerEntry.objects.get(token=token).amount == Decimal("50.00")


def test_twin_double_tap_without_a_token_creates_five(settings):
    """The token is what makes the double tap safe: five posts with fresh tokens are five gifts."""
    settings.LOUZU_RACE_PAUSE = 0.02
    fund, leader, _rule = ready_fund()
    url = reverse("funds:donation-create", args=[fund.building_id])

    def tap(i):
        client = Client()
        client.force_login(leader)
        return client.post(
            url,
            {
                "token": str(uuid.uuid4()),
                "amount": "50",
                "occurred_on": timezone.localdate().isoformat(),
                "public_name": "anonymous",
                "paid_by": "wechat",
            },
        ).status_code

    results, errors = storm(5, tap)
    assert errors == [] and results == [302] * 5
    assert LedgerEntry.objects.filter(fund=fund).count() == 5


def test_same_token_without_the_lock_is_still_one_entry(settings):
    """With the fund lock off, the unique constraint on the token still keeps one entry."""
    settings.LOUZU_GUARDS_OFF = True
    settings.LOUZU_RACE_PAUSE = 0.05
    fund, leader, _rule = ready_fund()
    token = uuid.uuid4()

    def give(i):
        entry, _created = services.record_donation(
            fund=Fund.objects.get(pk=fund.pk),
            amount=Decimal("50"),
            occurred_on=timezone.localdate(),
            by=leader,
            token=token,
        )
        return entry.pk

    results, errors = storm(5, give)
    assert errors == []
    assert len(set(results)) == 1
    assert LedgerEntry.objects.filter(fund=fund).count() == 1


def test_concurrent_reversals_of_one_entry_make_one(settings):
    settings.LOUZU_RACE_PAUSE = 0.02
    fund, leader, _rule = ready_fund()
    donate(fund, leader, "500")
    gift = donate(fund, leader, "100")

    def reverse_it(i):
        try:
            services.reverse_entry(entry=gift, reason=f"错记{i}", by=leader)
            return True
        except ValidationError:
            return False

    results, errors = storm(10, reverse_it)
    assert errors == []
    assert results.count(True) == 1
    assert LedgerEntry.objects.filter(reverses=gift).count() == 1


def pledges_while_cancelling(settings):
    """Fifteen residents pledge while a leader cancels the campaign, all at once."""
    settings.LOUZU_RACE_PAUSE = 0.05
    fund, leader, _rule = ready_fund()
    building = fund.building
    campaign = CampaignFactory(fund=fund)
    need = CampaignNeed.objects.create(
        campaign=campaign, kind="goods", description="花盆", quantity=50, unit="个"
    )
    users = [
        AccountResidentFactory(household__building=building).user for _ in range(15)
    ]
    users.insert(7, leader)
    clients = []
    for user in users:
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients.append(client)
    pledge = reverse("funds:pledge", args=[building.pk, need.pk])
    cancel = reverse("funds:campaign-cancel", args=[building.pk, campaign.pk])

    def post(i):
        url = cancel if users[i] == leader else pledge
        return clients[i].post(url, {"quantity": 1, "reason": "不办了"}).status_code

    codes, errors = storm(len(clients), post)
    assert errors == []
    told = Notification.objects.filter(kind="campaign_cancelled").values_list(
        "recipient", flat=True
    )
    untold = Pledge.objects.filter(need=need).exclude(resident__user__in=list(told))
    return codes, untold.count()


def test_no_pledge_lands_after_the_campaign_is_cancelled(settings):
    codes, untold = pledges_while_cancelling(settings)
    assert set(codes) == {302}  # the late ones are told the campaign is closed
    assert untold == 0  # every pledger of the cancelled campaign was told


# The twins below race a cancellation against ten requests: on a loaded machine the
# threads can line up so that the race does not happen once, so each twin gets three
# tries to show it (the guarded tests above must hold every time).
TWIN_TRIES = 3


def test_twin_without_the_campaign_lock_pledges_land_unseen(settings):
    settings.LOUZU_GUARDS_OFF = True
    untold = [pledges_while_cancelling(settings)[1] for _ in range(TWIN_TRIES)]
    assert max(untold) > 0, "without the lock the race must show"


def test_gifts_to_a_campaign_while_it_is_cancelled_never_deadlock(settings):
    """Cancelling locks the fund before the campaign, as a gift to the campaign does."""
    settings.LOUZU_RACE_PAUSE = 0.02
    fund, leader, _rule = ready_fund()
    campaign = CampaignFactory(fund=fund)

    def act(i):
        try:
            if i == 5:
                return changes.cancel_campaign(
                    campaign=campaign, by=leader, reason="不办了"
                )
            return services.record_donation(
                fund=Fund.objects.get(pk=fund.pk),
                amount=Decimal("10"),
                occurred_on=timezone.localdate(),
                by=leader,
                campaign=campaign,
            )
        except ValidationError:
            return "refused"

    results, errors = storm(12, act)
    assert errors == []  # no deadlock
    assert check_fund(fund) == []


def gifts_while_cancelling(settings):
    """Ten gifts to a campaign logged while a leader cancels it, all at once: returns
    the status codes and how many gifts were recorded after the cancellation."""
    settings.LOUZU_RACE_PAUSE = 0.05
    fund, leader, _rule = ready_fund()
    building = fund.building
    campaign = CampaignFactory(fund=fund)
    donate_url = reverse("funds:donation-create", args=[building.pk])
    cancel = reverse("funds:campaign-cancel", args=[building.pk, campaign.pk])
    today = timezone.localdate().isoformat()

    def post(i):
        client = Client(raise_request_exception=False)
        client.force_login(leader)
        if i == 3:
            return client.post(cancel, {"reason": "不办了"}).status_code
        gift = {
            "token": str(uuid.uuid4()),
            "amount": "10",
            "occurred_on": today,
            "public_name": "anonymous",
            "paid_by": "cash",
            "campaign": campaign.pk,
        }
        return client.post(donate_url, gift).status_code

    codes, errors = storm(11, post)
    assert errors == []
    campaign.refresh_from_db()
    assert campaign.is_cancelled
    late = LedgerEntry.objects.filter(
        campaign=campaign, recorded_at__gt=campaign.cancelled_at
    )
    return codes, late.count()


def test_no_gift_lands_on_a_campaign_after_it_is_cancelled(settings):
    codes, late = gifts_while_cancelling(settings)
    assert 500 not in codes  # a late gift gets its form back, saying it is closed
    assert late == 0


def test_twin_without_the_campaign_lock_gifts_land_after_cancelling(settings):
    settings.LOUZU_GUARDS_OFF = True
    late = [gifts_while_cancelling(settings)[1] for _ in range(TWIN_TRIES)]
    assert max(late) > 0, "without the lock the race must show"
