"""Bad input: a clear message in the user's language, nothing stored, never a 500."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from funds.models import LedgerEntry, Receipt
from tests.funds.factories import donate, photo_bytes, photo_upload, ready_fund

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader_client(building, login):
    fund, leader, rule = ready_fund(building)
    donate(fund, leader, "1000")
    return login(leader), fund, rule


def donation_data(**overrides):
    data = {
        "token": str(uuid.uuid4()),
        "amount": "50",
        "occurred_on": timezone.localdate().isoformat(),
        "public_name": "anonymous",
        "paid_by": "cash",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "amount, message",
    [
        ("-5", "金额必须大于零"),
        ("0", "金额必须大于零"),
        ("1e20", "请用数字填写金额"),
        ("abc", "请用数字填写金额"),
        ("1,000.005", "最多两位小数"),
        ("", "请填写金额"),
        ("99999999999", "请核对"),
    ],
)
def test_bad_amounts_are_refused_with_a_message(leader_client, amount, message):
    client, fund, _rule = leader_client
    before = LedgerEntry.objects.count()
    response = client.post(
        reverse("funds:donation-create", args=[fund.building_id]),
        donation_data(amount=amount),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert LedgerEntry.objects.count() == before


def test_full_width_digits_are_normalised(leader_client):
    client, fund, _rule = leader_client
    response = client.post(
        reverse("funds:donation-create", args=[fund.building_id]),
        donation_data(amount="１２３．４５"),
    )
    assert response.status_code == 302
    assert LedgerEntry.objects.latest("pk").amount == Decimal("123.45")


def test_future_date_is_refused(leader_client):
    client, fund, _rule = leader_client
    before = LedgerEntry.objects.count()
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(
        reverse("funds:donation-create", args=[fund.building_id]),
        donation_data(occurred_on=tomorrow),
    )
    assert response.status_code == 200
    assert "日期不能是将来" in response.content.decode()
    assert LedgerEntry.objects.count() == before


def expense_data(rule, **overrides):
    data = {
        "token": str(uuid.uuid4()),
        "amount": "40",
        "occurred_on": timezone.localdate().isoformat(),
        "payee": "王师傅",
        "purpose": "修锁",
        "usage_rule": rule.pk,
        "paid_by": "cash",
        "receipt_photo": photo_upload(),
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "upload",
    [
        lambda: SimpleUploadedFile(
            "receipt.jpg", b"not an image at all", content_type="image/jpeg"
        ),
        lambda: SimpleUploadedFile(
            "receipt.svg",
            b"<svg xmlns='http://www.w3.org/2000/svg'/>",
            content_type="image/svg+xml",
        ),
        lambda: SimpleUploadedFile(
            "receipt.png", photo_bytes(fmt="PNG")[:40], content_type="image/png"
        ),
        lambda: SimpleUploadedFile(
            "receipt.gif", photo_bytes(fmt="GIF"), content_type="image/gif"
        ),
    ],
    ids=["text", "svg", "truncated-png", "gif"],
)
def test_receipt_that_is_not_a_photo_is_refused(leader_client, upload):
    client, fund, rule = leader_client
    before = (LedgerEntry.objects.count(), Receipt.objects.count())
    response = client.post(
        reverse("funds:expense-create", args=[fund.building_id]),
        expense_data(rule, receipt_photo=upload()),
    )
    assert response.status_code == 200
    assert response.context["form"].errors[
        "receipt_photo"
    ]  # the upload pipeline's own message
    assert (LedgerEntry.objects.count(), Receipt.objects.count()) == before


def test_expense_needs_a_receipt_photo(leader_client):
    client, fund, rule = leader_client
    data = expense_data(rule)
    del data["receipt_photo"]
    response = client.post(
        reverse("funds:expense-create", args=[fund.building_id]), data
    )
    assert response.status_code == 200
    assert LedgerEntry.objects.filter(kind="expense").count() == 0


def test_overdraft_and_missing_approval_are_shown_as_form_errors(leader_client):
    client, fund, rule = leader_client
    url = reverse("funds:expense-create", args=[fund.building_id])
    response = client.post(url, expense_data(rule, amount="1000.01"))
    assert response.status_code == 200
    assert "低于零" in response.content.decode() or "议事" in response.content.decode()
    response = client.post(url, expense_data(rule, amount="600"))
    assert "决议" in response.content.decode()
    assert LedgerEntry.objects.filter(kind="expense").count() == 0
    response = client.post(
        url,
        expense_data(rule, amount="600", approval_text="2026-11-20 议事会决议第3项"),
    )
    assert response.status_code == 302
    assert fund.entries.balance() == Decimal("400.00")


def test_forged_rule_and_campaign_ids_are_form_errors(leader_client):
    client, fund, rule = leader_client
    other_fund, _leader, other_rule = ready_fund()
    response = client.post(
        reverse("funds:expense-create", args=[fund.building_id]),
        expense_data(rule, usage_rule=other_rule.pk),
    )
    assert response.status_code == 200
    response = client.post(
        reverse("funds:donation-create", args=[fund.building_id]),
        donation_data(campaign="999999"),
    )
    assert response.status_code == 200
    response = client.post(
        reverse("funds:donation-create", args=[fund.building_id]),
        donation_data(token="not-a-uuid"),
    )
    assert response.status_code == 200
    assert LedgerEntry.objects.count() == 1


@pytest.mark.parametrize(
    "rectangles", ["1,2,3", "a,b,c,d", "10,10,200,5", "-1,0,10,10"]
)
def test_bad_blur_rectangles_are_form_errors(leader_client, rectangles):
    from funds import services
    from tests.funds.factories import photo_content

    client, fund, _rule = leader_client
    entry = fund.entries.first()
    entry2, _created = services.record_donation(
        fund=fund,
        amount=Decimal("1"),
        occurred_on=timezone.localdate(),
        by=entry.recorded_by,
        receipt_image=photo_content(),
    )
    response = client.post(
        reverse("funds:receipt", args=[fund.building_id, entry2.pk]),
        {"rectangles": rectangles},
    )
    assert response.status_code == 200
    entry2.receipt.refresh_from_db()
    assert not entry2.receipt.blurred


def test_statement_with_a_bad_period_falls_back_with_a_message(leader_client):
    client, fund, _rule = leader_client
    url = reverse("funds:statement", args=[fund.building_id])
    for query in [
        {"start": "2026-13-01", "end": "x"},
        {"start": "2026-05-01", "end": "2026-04-01"},
    ]:
        response = client.get(url, query)
        assert response.status_code == 200
    assert (
        "开始日期"
        in client.get(
            url, {"start": "2026-05-01", "end": "2026-04-01"}
        ).content.decode()
    )
    assert client.get(url, {"page": "abc"}).status_code == 200
