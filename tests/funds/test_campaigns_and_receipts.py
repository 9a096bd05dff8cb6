import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageDraw

from funds import services
from funds.blur import cell_region
from funds.models import Campaign, Pledge
from tests.factories import AccountResidentFactory
from tests.funds.factories import CampaignFactory, donate, ready_fund
from tests.module_data import roles_built_once

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


def test_campaign_with_money_goods_and_hands(building, login):
    fund, leader, _rule = ready_fund(building)
    team = AccountResidentFactory(household__building=building, role="team").user
    category = fund.rulesets.first().categories.first()
    client = login(team)
    response = client.post(
        reverse("funds:campaign-create", args=[building.pk]),
        {
            "title": "一尺花园",
            "purpose": "楼前种花",
            "category": category.pk,
            "goal": "3,000",
            "deadline": (timezone.localdate() + timedelta(days=20)).isoformat(),
            "needs-TOTAL_FORMS": "3",
            "needs-INITIAL_FORMS": "0",
            "needs-0-kind": "goods",
            "needs-0-description": "花盆",
            "needs-0-quantity": "20",
            "needs-0-unit": "盆",
            "needs-1-kind": "hands",
            "needs-1-description": "周六浇水",
            "needs-1-quantity": "2",
            "needs-1-unit": "人",
        },
    )
    assert response.status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.goal == Decimal("3000.00") and campaign.needs.count() == 2
    pots, hands = campaign.needs.order_by("kind")
    resident = AccountResidentFactory(household__building=building)
    client = login(resident.user)
    assert (
        client.post(
            reverse("funds:pledge", args=[building.pk, pots.pk]), {"quantity": "5"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            reverse("funds:pledge", args=[building.pk, pots.pk]), {"quantity": "6"}
        ).status_code
        == 302
    )
    client.post(
        reverse("funds:pledge", args=[building.pk, hands.pk]),
        {"quantity": "1", "note": "周六上午"},
    )
    assert (
        Pledge.objects.get(need=pots).quantity == 6
    )  # pledging again changes the number
    client.post(
        reverse("funds:pledge", args=[building.pk, pots.pk]), {"quantity": "999"}
    )
    assert Pledge.objects.get(need=pots).quantity == 6
    donate(fund, leader, "1200", campaign=campaign)
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "¥1,200.00 / ¥3,000.00" in page
    # Goods count when they arrive; a pledge is a promise, shown beside the bar.
    assert "已收到 0 / 20 盆" in page and "已认捐 6 盆" in page
    assert "1 / 2 人" in page
    services.record_goods(
        fund=fund,
        item="花盆",
        quantity=Decimal("4"),
        unit="盆",
        received_on=timezone.localdate(),
        need=pots,
        by=leader,
    )
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "已收到 4 / 20 盆" in page and "已认捐 6 盆" in page
    fund_page = client.get(reverse("funds:index", args=[building.pk])).content
    assert "已收到 4 / 20 盆" in fund_page.decode()
    client.post(reverse("funds:pledge-withdraw", args=[building.pk, hands.pk]))
    assert not Pledge.objects.filter(need=hands).exists()


def test_no_pledges_on_a_closed_campaign(building):
    fund, leader, _rule = ready_fund(building)
    campaign = CampaignFactory(fund=fund, created_by=leader)
    need = campaign.needs.create(
        kind="hands", description="浇水", quantity=2, unit="人"
    )
    services.close_campaign(campaign=campaign)
    resident = AccountResidentFactory(household__building=building)
    with pytest.raises(ValidationError):
        services.pledge(need=need, resident=resident, quantity=1)


def test_campaign_needs_something_to_ask_for(building):
    fund, leader, _rule = ready_fund(building)
    with pytest.raises(ValidationError):
        services.create_campaign(
            fund=fund,
            title="空",
            purpose="空",
            category=None,
            goal=Decimal("0"),
            deadline=timezone.localdate(),
            by=leader,
        )
    with pytest.raises(ValidationError):
        services.create_campaign(
            fund=fund,
            title="旧",
            purpose="旧",
            category=None,
            goal=Decimal("10"),
            deadline=timezone.localdate() - timedelta(days=1),
            by=leader,
        )


def receipt_with_text() -> bytes:
    image = Image.new("RGB", (300, 400), "white")
    draw = ImageDraw.Draw(image)
    for y in range(0, 100, 6):
        draw.line(
            [(10, y), (140, y + 3)], fill="black", width=2
        )  # "handwriting" in the top-left area
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def test_leader_blurs_cells_and_rectangles_then_publishes(building, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fund, leader, rule = ready_fund(building)
    donate(fund, leader, "500")
    client = login(leader)
    response = client.post(
        reverse("funds:expense-create", args=[building.pk]),
        {
            "token": "1d3c0f1e-2b4a-4c5d-8e9f-0a1b2c3d4e5f",
            "amount": "45",
            "occurred_on": timezone.localdate().isoformat(),
            "payee": "王师傅",
            "purpose": "修锁",
            "usage_rule": rule.pk,
            "paid_by": "wechat",
            "receipt_photo": SimpleUploadedFile(
                "r.png", receipt_with_text(), content_type="image/png"
            ),
        },
    )
    entry = fund.entries.get(kind="expense")
    assert response["Location"] == reverse(
        "funds:receipt", args=[building.pk, entry.pk]
    )
    page = client.get(response["Location"])
    assert page.status_code == 200 and page.content.decode().count('name="cells"') == 48
    response = client.post(
        response["Location"], {"cells": ["0-0", "1-0"], "rectangles": "0, 0, 50, 25"}
    )
    assert response.status_code == 302
    receipt = entry.receipt
    receipt.refresh_from_db()
    assert receipt.blurred and not receipt.is_public
    assert [0.0, 0.0, 16.667, 12.5] in receipt.regions
    original = Image.open(receipt.original.open("rb")).convert("L")
    blurred = Image.open(receipt.blurred.open("rb")).convert("L")
    box = (0, 0, 140, 100)
    changed = sum(
        abs(a - b)
        for a, b in zip(
            original.crop(box).tobytes(), blurred.crop(box).tobytes(), strict=True
        )
    )
    assert changed > 10_000  # the strokes are gone
    untouched = (160, 200, 300, 400)
    same = sum(
        abs(a - b)
        for a, b in zip(
            original.crop(untouched).tobytes(),
            blurred.crop(untouched).tobytes(),
            strict=True,
        )
    )
    assert same < changed / 20
    # Without ticking the box nothing is published.
    client.post(reverse("funds:receipt-confirm", args=[building.pk, entry.pk]), {})
    receipt.refresh_from_db()
    assert not receipt.is_public
    client.post(
        reverse("funds:receipt-confirm", args=[building.pk, entry.pk]),
        {"confirm": "on"},
    )
    receipt.refresh_from_db()
    assert receipt.is_public and receipt.confirmed_by == leader
    # Blurring again hides it until confirmed again.
    client.post(
        reverse("funds:receipt", args=[building.pk, entry.pk]), {"cells": ["7-5"]}
    )
    receipt.refresh_from_db()
    assert not receipt.is_public


def test_cell_regions():
    assert cell_region("0-0") == (0.0, 0.0, 16.667, 12.5)
    assert cell_region("7-5") == (83.333, 87.5, 16.667, 12.5)


def test_pages_in_english(building, login):
    fund, leader, rule = ready_fund(building)
    donate(fund, leader, "100")
    client = login(leader)
    client.post(reverse("set_language"), {"language": "en"})
    for name in [
        "funds:index",
        "funds:statement",
        "funds:donation-create",
        "funds:expense-create",
        "funds:rules",
    ]:
        response = client.get(
            reverse(name, args=[building.pk]), HTTP_ACCEPT_LANGUAGE="en"
        )
        assert response.status_code == 200
    body = client.get(
        reverse("funds:index", args=[building.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Raised by residents" in body
