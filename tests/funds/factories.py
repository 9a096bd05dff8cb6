"""Factories and small helpers for the fund tests."""

import io
import uuid
from datetime import timedelta
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from funds import services
from funds.models import Campaign, Fund, LedgerEntry
from tests.factories import AccountResidentFactory, BuildingFactory


class FundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fund
        django_get_or_create = ["building"]

    building = factory.SubFactory(BuildingFactory)


def leader_of(building):
    return AccountResidentFactory(household__building=building, role="leader").user


def adopt_rules(fund, by=None):
    """A usage-rules version with two allowed uses, one forbidden, two categories."""
    by = by or leader_of(fund.building)
    return services.adopt_rules(
        fund=fund,
        allowed=["公共区域绿化", "楼道维修"],
        forbidden=["个人用途"],
        categories=["美化环境", "设施维修"],
        adopted_on=timezone.localdate(),
        adopted_how="2026-03-02 议事会,12户同意",
        by=by,
    )


def ready_fund(building=None):
    """(fund, leader, allowed rule): a fund whose rules are adopted."""
    building = building or BuildingFactory()
    leader = leader_of(building)
    fund = FundFactory(building=building)
    ruleset = adopt_rules(fund, by=leader)
    return fund, leader, ruleset.rules.filter(allowed=True).first()


def donate(fund, leader, amount, **kwargs):
    entry, _created = services.record_donation(
        fund=fund,
        amount=Decimal(amount),
        occurred_on=kwargs.pop("occurred_on", timezone.localdate()),
        by=leader,
        **kwargs,
    )
    return entry


def spend(fund, leader, amount, rule, **kwargs):
    kwargs.setdefault("approval_text", "2026-11-20 议事会决议第3项")
    entry, _created = services.record_expense(
        fund=fund,
        amount=Decimal(amount),
        occurred_on=kwargs.pop("occurred_on", timezone.localdate()),
        payee=kwargs.pop("payee", "王师傅"),
        purpose=kwargs.pop("purpose", "修门锁"),
        usage_rule=rule,
        by=leader,
        **kwargs,
    )
    return entry


def photo_bytes(color="white", size=(120, 160), fmt="JPEG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format=fmt)
    return out.getvalue()


def photo_upload(name="receipt.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, photo_bytes(), content_type="image/jpeg")


def photo_content() -> ContentFile:
    return ContentFile(photo_bytes(), name=f"{uuid.uuid4().hex}.jpg")


def bulk_entries(fund, leader, amounts, start=None):
    """Append many entries fast (bulk insert, digests chained as the service would)."""
    start = start or timezone.localdate() - timedelta(days=len(amounts) // 50 + 1)
    previous = (
        fund.entries.order_by("-pk").values_list("digest", flat=True).first() or ""
    )
    rows = []
    now = timezone.now()
    for index, amount in enumerate(amounts):
        amount = Decimal(amount)
        entry = LedgerEntry(
            fund=fund,
            kind=LedgerEntry.Kind.DONATION if amount > 0 else LedgerEntry.Kind.EXPENSE,
            amount=amount,
            occurred_on=start + timedelta(days=index // 50),
            donor_name="" if amount < 0 else f"捐赠人{index}",
            public_name="name" if amount > 0 else "anonymous",
            payee="店家" if amount < 0 else "",
            purpose="买花" if amount < 0 else "",
            recorded_by=leader,
            recorded_at=now + timedelta(microseconds=index),
        )
        entry.digest = entry.compute_digest(previous)
        previous = entry.digest
        rows.append(entry)
    return LedgerEntry.objects.bulk_create(rows, batch_size=1000)


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    fund = factory.SubFactory(FundFactory)
    title = factory.Sequence(lambda n: f"一尺花园{n}")
    purpose = "楼前种花"
    goal = Decimal("3000.00")
    deadline = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    created_by = factory.LazyAttribute(lambda o: leader_of(o.fund.building))
