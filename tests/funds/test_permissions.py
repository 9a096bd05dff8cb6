"""Every fund page and action × every role (docs/architecture.md, "Who may do what")."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from funds import services
from funds.models import (
    Campaign,
    CampaignNeed,
    GoodsDonation,
    LedgerEntry,
    Pledge,
    Receipt,
    RuleSet,
    StockMovement,
)
from tests.conftest import ALL_ROLES
from tests.funds.factories import CampaignFactory, adopt_rules, photo_content
from tests.module_data import roles_built_once

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()

VIEW, PARTICIPATE, ORGANISE, MANAGE = "view", "participate", "organise", "manage"
RANK = {"resident": 1, "team": 2, "leader": 3, "staff": 3}
NEEDED = {VIEW: 1, PARTICIPATE: 1, ORGANISE: 2, MANAGE: 3}


def expected_status(role, level, ok=200):
    if role == "visitor":
        return 302  # to the log-in page
    if role in ("outsider", "pending"):
        return 404
    return ok if RANK[role] >= NEEDED[level] else 403


@pytest.fixture
def world(roles):
    building = roles.building
    fund = services.open_fund(building=building)
    adopt_rules(fund, by=roles.leader)
    leader = roles.leader
    gift, _created = services.record_donation(
        fund=fund,
        amount=Decimal("300"),
        occurred_on=timezone.localdate(),
        by=leader,
        receipt_image=photo_content(),
    )
    services.blur_receipt(receipt=gift.receipt, regions=[(0, 0, 50, 50)])
    services.confirm_receipt(receipt=gift.receipt, by=leader)
    campaign = CampaignFactory(fund=fund, created_by=leader)
    need = CampaignNeed.objects.create(
        campaign=campaign, kind="goods", description="花盆", quantity=20, unit="盆"
    )
    goods, _created = services.record_goods(
        fund=fund,
        item="花盆",
        quantity=Decimal("5"),
        unit="盆",
        received_on=timezone.localdate(),
        by=leader,
    )
    return {
        "roles": roles,
        "fund": fund,
        "b": building.pk,
        "entry": gift,
        "campaign": campaign,
        "need": need,
        "goods": goods,
    }


PAGES = [
    ("funds:index", VIEW, lambda w: []),
    ("funds:rules", VIEW, lambda w: []),
    ("funds:rules-create", ORGANISE, lambda w: []),
    ("funds:settings", MANAGE, lambda w: []),
    ("funds:campaign-create", ORGANISE, lambda w: []),
    ("funds:campaign", VIEW, lambda w: [w["campaign"].pk]),
    ("funds:donation-create", MANAGE, lambda w: []),
    ("funds:expense-create", MANAGE, lambda w: []),
    ("funds:matching-create", MANAGE, lambda w: []),
    ("funds:entry", VIEW, lambda w: [w["entry"].pk]),
    ("funds:entry-reverse", MANAGE, lambda w: [w["entry"].pk]),
    ("funds:receipt", MANAGE, lambda w: [w["entry"].pk]),
    ("funds:receipt-photo", VIEW, lambda w: [w["entry"].pk]),
    ("funds:receipt-original", MANAGE, lambda w: [w["entry"].pk]),
    ("funds:goods", VIEW, lambda w: []),
    ("funds:goods-create", MANAGE, lambda w: []),
    ("funds:goods-use", MANAGE, lambda w: [w["goods"].pk]),
    ("funds:statement", VIEW, lambda w: []),
    ("funds:statement-print", VIEW, lambda w: []),
    ("funds:statement-csv", VIEW, lambda w: []),
    ("funds:statement-xlsx", VIEW, lambda w: []),
]


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("name, level, args", PAGES, ids=[page[0] for page in PAGES])
def test_pages(world, login, role, name, level, args):
    client = login(world["roles"].get(role))
    response = client.get(reverse(name, args=[world["b"], *args(world)]))
    assert response.status_code == expected_status(role, level)
    if role == "visitor":
        assert "/accounts/login/" in response["Location"]


def _counts():
    return (
        LedgerEntry.objects.count(),
        Pledge.objects.count(),
        GoodsDonation.objects.count(),
        RuleSet.objects.count(),
        StockMovement.objects.count(),
        Campaign.objects.count(),
        Receipt.objects.filter(confirmed_at__isnull=True).count(),
    )


def today():
    return timezone.localdate().isoformat()


ACTIONS = [
    (
        "funds:donation-create",
        MANAGE,
        lambda w: [],
        lambda w: {
            "token": "7d3c0f1e-2b4a-4c5d-8e9f-0a1b2c3d4e5f",
            "amount": "50",
            "occurred_on": today(),
            "public_name": "anonymous",
            "paid_by": "cash",
        },
        302,
    ),
    (
        "funds:expense-create",
        MANAGE,
        lambda w: [],
        lambda w: {
            "token": "8d3c0f1e-2b4a-4c5d-8e9f-0a1b2c3d4e5f",
            "amount": "20",
            "occurred_on": today(),
            "payee": "王师傅",
            "purpose": "修锁",
            "usage_rule": w["fund"]
            .rulesets.first()
            .rules.filter(allowed=True)
            .first()
            .pk,
            "paid_by": "cash",
            "receipt_photo": _photo(),
        },
        302,
    ),
    (
        "funds:entry-reverse",
        MANAGE,
        lambda w: [w["entry"].pk],
        lambda w: {"token": "9d3c0f1e-2b4a-4c5d-8e9f-0a1b2c3d4e5f", "reason": "记错了"},
        302,
    ),
    (
        "funds:receipt-confirm",
        MANAGE,
        lambda w: [w["entry"].pk],
        lambda w: {"confirm": "on"},
        302,
    ),
    (
        "funds:goods-create",
        MANAGE,
        lambda w: [],
        lambda w: {
            "token": "ad3c0f1e-2b4a-4c5d-8e9f-0a1b2c3d4e5f",
            "item": "土",
            "quantity": "3",
            "unit": "袋",
            "received_on": today(),
            "public_name": "anonymous",
        },
        302,
    ),
    (
        "funds:goods-use",
        MANAGE,
        lambda w: [w["goods"].pk],
        lambda w: {"quantity": "1", "used_for": "一尺花园", "occurred_on": today()},
        302,
    ),
    (
        "funds:settings",
        MANAGE,
        lambda w: [],
        lambda w: {
            "approval_threshold": "800",
            "matching_source": "街道",
            "matching_ratio": "1",
            "matching_cap": "2000",
        },
        302,
    ),
    ("funds:open", MANAGE, lambda w: [], lambda w: {}, 302),
    (
        "funds:rules-create",
        ORGANISE,
        lambda w: [],
        lambda w: {
            "allowed": "绿化",
            "categories": "环境",
            "adopted_on": today(),
            "adopted_how": "议事会",
        },
        302,
    ),
    (
        "funds:campaign-create",
        ORGANISE,
        lambda w: [],
        lambda w: {
            "title": "修门",
            "purpose": "铁门",
            "goal": "1000",
            "deadline": today(),
            "needs-TOTAL_FORMS": "0",
            "needs-INITIAL_FORMS": "0",
        },
        302,
    ),
    ("funds:campaign-close", ORGANISE, lambda w: [w["campaign"].pk], lambda w: {}, 302),
    (
        "funds:pledge",
        PARTICIPATE,
        lambda w: [w["need"].pk],
        lambda w: {"quantity": "2"},
        302,
    ),
]


def _photo():
    from tests.funds.factories import photo_upload

    return photo_upload()


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize(
    "name, level, args, data, ok", ACTIONS, ids=[action[0] for action in ACTIONS]
)
def test_actions(world, login, role, name, level, args, data, ok):
    client = login(world["roles"].get(role))
    before = _counts()
    fund = world["fund"]
    threshold_before = fund.approval_threshold
    response = client.post(reverse(name, args=[world["b"], *args(world)]), data(world))
    wanted = expected_status(role, level, ok)
    if name == "funds:pledge" and role == "staff":
        wanted = 403  # staff have no household to pledge from
    form = response.context.get("form") if response.context else None
    assert response.status_code == wanted, form.errors if form else response
    fund.refresh_from_db()
    world["campaign"].refresh_from_db()
    allowed = (
        role in RANK
        and RANK[role] >= NEEDED[level]
        and not (name == "funds:pledge" and role == "staff")
    )
    if not allowed:
        assert _counts() == before
        assert fund.approval_threshold == threshold_before
        assert world["campaign"].status == "open"
    elif name == "funds:settings":
        assert fund.approval_threshold == Decimal("800.00")
    elif name == "funds:campaign-close":
        assert world["campaign"].status == "closed"
    elif name not in ("funds:receipt-confirm", "funds:open"):
        assert _counts() != before, "the allowed action wrote nothing"


@pytest.mark.parametrize(
    "name",
    [
        "funds:open",
        "funds:campaign-close",
        "funds:pledge",
        "funds:pledge-withdraw",
        "funds:receipt-confirm",
    ],
)
def test_post_only_actions_refuse_get(world, login, name):
    client = login(world["roles"].leader)
    args = {
        "funds:campaign-close": [world["campaign"].pk],
        "funds:pledge": [world["need"].pk],
        "funds:pledge-withdraw": [world["need"].pk],
        "funds:receipt-confirm": [world["entry"].pk],
    }.get(name, [])
    assert client.get(reverse(name, args=[world["b"], *args])).status_code == 405


def test_forged_ids_from_another_building_are_404(world, login):
    from tests.funds.factories import donate, ready_fund

    other_fund, other_leader, _rule = ready_fund()
    foreign = donate(other_fund, other_leader, "10")
    client = login(world["roles"].leader)
    b = world["b"]
    assert client.get(reverse("funds:entry", args=[b, foreign.pk])).status_code == 404
    assert (
        client.post(
            reverse("funds:entry-reverse", args=[b, foreign.pk]),
            {"reason": "x", "token": "bd3c0f1e-2b4a-4c5d-8e9f-0a1b2c3d4e5f"},
        ).status_code
        == 404
    )
    assert client.get(reverse("funds:entry", args=[b, 999999])).status_code == 404
    assert not LedgerEntry.objects.filter(kind="reversal").exists()


def gift_with_receipt(world):
    """A ¥10 gift the leader logged with a photo of its receipt."""
    entry, _created = services.record_donation(
        fund=world["fund"],
        amount=Decimal("10"),
        occurred_on=timezone.localdate(),
        by=world["roles"].leader,
        receipt_image=photo_content(),
    )
    return entry


def test_unblurred_receipt_is_hidden_from_residents(world, login):
    roles = world["roles"]
    entry = gift_with_receipt(world)
    url = reverse("funds:receipt-photo", args=[world["b"], entry.pk])
    assert login(roles.resident).get(url).status_code == 404  # not blurred yet
    services.blur_receipt(receipt=entry.receipt, regions=[(10, 10, 30, 10)])
    assert login(roles.resident).get(url).status_code == 404  # blurred, not confirmed
    assert (
        login(roles.leader).get(url).status_code == 200
    )  # the leader checks the result
    page = login(roles.resident).get(
        reverse("funds:entry", args=[world["b"], entry.pk])
    )
    assert url not in page.content.decode()
    services.confirm_receipt(receipt=entry.receipt, by=roles.leader)
    assert login(roles.resident).get(url).status_code == 200
    assert (
        url
        in login(roles.resident)
        .get(reverse("funds:entry", args=[world["b"], entry.pk]))
        .content.decode()
    )


def test_a_receipt_photo_gone_from_storage_is_not_found(world, login):
    """As at /media/: a photo missing from storage (a database restored without its
    media) is a 404, never a server error."""
    roles = world["roles"]
    entry = gift_with_receipt(world)
    services.blur_receipt(receipt=entry.receipt, regions=[(10, 10, 30, 10)])
    services.confirm_receipt(receipt=entry.receipt, by=roles.leader)
    receipt = Receipt.objects.get(entry=entry)
    for field in (receipt.original, receipt.blurred):
        field.storage.delete(field.name)
    for name, user in [
        ("receipt-photo", roles.resident),
        ("receipt-original", roles.leader),
    ]:
        url = reverse(f"funds:{name}", args=[world["b"], entry.pk])
        assert login(user).get(url).status_code == 404


def test_blurring_a_receipt_gone_from_storage_says_so(world, login):
    roles = world["roles"]
    entry = gift_with_receipt(world)
    receipt = Receipt.objects.get(entry=entry)
    receipt.original.storage.delete(receipt.original.name)
    response = login(roles.leader).post(
        reverse("funds:receipt", args=[world["b"], entry.pk]),
        {"cells": ["0-0"]},
        follow=True,
    )
    assert response.status_code == 200
    assert "不在服务器上" in response.content.decode()
    assert not Receipt.objects.get(entry=entry).blurred
