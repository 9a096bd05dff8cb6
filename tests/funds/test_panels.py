"""The fund on the building page and on the leader's to-do page."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from funds import services
from tests.funds.factories import CampaignFactory, adopt_rules, photo_content
from tests.module_data import roles_built_once

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


def test_building_page_shows_the_fund(roles, login):
    page = login(roles.resident).get(roles.building.get_absolute_url()).content.decode()
    assert "尚未开通" in page
    fund = services.open_fund(building=roles.building)
    adopt_rules(fund, by=roles.leader)
    services.record_donation(
        fund=fund,
        amount=Decimal("1234.5"),
        occurred_on=timezone.localdate(),
        by=roles.leader,
    )
    CampaignFactory(fund=fund, created_by=roles.leader)
    page = login(roles.resident).get(roles.building.get_absolute_url()).content.decode()
    assert "余额 ¥1,234.50" in page
    assert "1 个众筹进行中" in page


def test_leader_todo_counts_receipts_to_blur(roles, login):
    fund = services.open_fund(building=roles.building)
    entry, _created = services.record_donation(
        fund=fund,
        amount=Decimal("10"),
        occurred_on=timezone.localdate(),
        by=roles.leader,
        receipt_image=photo_content(),
    )
    response = login(roles.leader).get(
        reverse("buildings:todo", args=[roles.building.pk])
    )
    items = {item.label: item for item in response.context["items"]}
    assert items["待打码公开的收据"].count == 1
    assert items["待打码公开的收据"].url == reverse(
        "funds:receipt", args=[roles.building.pk, entry.pk]
    )


def test_privacy_export_and_leave_keep_the_ledger(roles):
    from buildings.privacy import export_user_data, leave
    from funds.checks import check_fund
    from funds.models import Pledge

    fund = services.open_fund(building=roles.building)
    resident = roles.resident.memberships.get()
    services.record_donation(
        fund=fund,
        amount=Decimal("66"),
        occurred_on=timezone.localdate(),
        by=roles.leader,
        donor_resident=resident,
        public_name="name",
    )
    campaign = CampaignFactory(fund=fund, created_by=roles.leader)
    need = campaign.needs.create(
        kind="hands", description="浇水", quantity=2, unit="人"
    )
    services.pledge(need=need, resident=resident, quantity=1, note="我叫某某,电话139")
    data = export_user_data(roles.resident)["funds"]
    assert data["donations"][0]["amount"] == "66.00"
    assert data["donations"][0]["reversed_on"] == ""
    gift = fund.entries.get()
    services.reverse_entry(entry=gift, reason="记错了", by=roles.leader)
    exported = export_user_data(roles.resident)["funds"]["donations"]
    assert [d["amount"] for d in exported] == ["66.00"]  # the gift, marked reversed
    assert exported[0]["reversed_on"] == timezone.localdate().isoformat()
    services.record_donation(
        fund=fund,
        amount=Decimal("66"),
        occurred_on=timezone.localdate(),
        by=roles.leader,
        donor_resident=resident,
        public_name="name",
    )
    assert data["pledges"][0]["quantity"] == 1
    leave(user=roles.resident)
    assert Pledge.objects.get().note == "" and Pledge.objects.get().quantity == 1
    assert fund.entries.balance() == Decimal("66.00")
    assert check_fund(fund) == []
