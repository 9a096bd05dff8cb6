"""A leader changes or cancels a campaign with a reason: pledgers are told, money stays."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from buildings.models import Notification
from funds import services
from funds.models import CampaignNeed, LedgerEntry
from tests.conftest import ALL_ROLES
from tests.factories import AccountResidentFactory
from tests.funds.factories import FundFactory, donate
from tests.module_data import roles_built_once

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()

MANAGERS = {"leader", "staff"}


def make_campaign(building, by):
    fund = FundFactory(building=building)
    campaign = services.create_campaign(
        fund=fund,
        title="门厅绿化",
        purpose="买花盆",
        category=None,
        goal=Decimal("500"),
        deadline=timezone.localdate() + timedelta(days=10),
        needs=[
            {
                "kind": CampaignNeed.Kind.GOODS,
                "description": "花盆",
                "quantity": 20,
                "unit": "个",
            }
        ],
        by=by,
    )
    return fund, campaign


def url(name, campaign):
    return reverse(f"funds:{name}", args=[campaign.fund.building_id, campaign.pk])


def expected(role):
    if role in MANAGERS or role == "visitor":
        return 302
    if role in {"outsider", "pending"}:
        return 404
    return 403


def edit_data(**extra):
    data = {
        "title": "门厅绿化（改）",
        "purpose": "买花盆和土",
        "goal": "800",
        "deadline": (timezone.localdate() + timedelta(days=20)).isoformat(),
        "reason": "加上买土的钱",
    }
    data.update(extra)
    return data


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_may_change_a_campaign(roles, login, role):
    _fund, campaign = make_campaign(roles.building, roles.leader)
    response = login(roles.get(role)).post(url("campaign-edit", campaign), edit_data())
    assert response.status_code == expected(role)
    campaign.refresh_from_db()
    assert (campaign.goal == Decimal("800")) is (role in MANAGERS)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_may_cancel_a_campaign(roles, login, role):
    _fund, campaign = make_campaign(roles.building, roles.leader)
    response = login(roles.get(role)).post(
        url("campaign-cancel", campaign), {"reason": "物业出钱了"}
    )
    assert response.status_code == expected(role)
    campaign.refresh_from_db()
    assert campaign.is_cancelled is (role in MANAGERS)


def test_pledgers_are_told_and_money_stays(roles, login):
    fund, campaign = make_campaign(roles.building, roles.leader)
    pledger = AccountResidentFactory(household__building=roles.building)
    services.pledge(need=campaign.needs.get(), resident=pledger, quantity=2)
    donate(fund, roles.leader, "100.00", campaign=campaign)
    client = login(roles.leader)
    client.post(url("campaign-edit", campaign), edit_data())
    client.post(url("campaign-cancel", campaign), {"reason": "物业出钱了"})
    texts = list(
        Notification.objects.filter(
            recipient=pledger.user, kind="campaign_cancelled"
        ).values_list("text", flat=True)
    )
    assert any("加上买土的钱" in text for text in texts)
    assert any("物业出钱了" in text for text in texts)
    assert LedgerEntry.objects.balance() == Decimal("100.00")
    page = login(roles.resident).get(url("campaign", campaign)).content.decode()
    assert "物业出钱了" in page and "加上买土的钱" in page and "已取消" in page
    # no more pledges
    need = CampaignNeed.objects.get(campaign=campaign)
    with pytest.raises(ValidationError):
        services.pledge(need=need, resident=pledger, quantity=3)


@pytest.mark.parametrize(
    "change",
    [{"reason": ""}, {"goal": "-5"}, {"goal": "很多"}, {"deadline": "2001-01-01"}],
)
def test_bad_changes_change_nothing(roles, login, change):
    _fund, campaign = make_campaign(roles.building, roles.leader)
    response = login(roles.leader).post(
        url("campaign-edit", campaign), edit_data(**change)
    )
    assert response.status_code == 200
    campaign.refresh_from_db()
    assert campaign.goal == Decimal("500") and campaign.title == "门厅绿化"


def test_no_goods_go_to_a_need_of_a_cancelled_campaign(roles, login):
    """As with money: the goods form offers only the needs of open campaigns, and the
    service refuses a closed one."""
    fund, campaign = make_campaign(roles.building, roles.leader)
    need = campaign.needs.get()
    client = login(roles.leader)
    client.post(url("campaign-cancel", campaign), {"reason": "不办了"})
    page = client.post(
        reverse("funds:goods-create", args=[roles.building.pk]),
        {
            "item": "花盆",
            "quantity": "3",
            "unit": "个",
            "received_on": timezone.localdate().isoformat(),
            "public_name": "anonymous",
            "need": need.pk,
        },
    )
    assert page.status_code == 200 and not fund.goods.exists()
    with pytest.raises(ValidationError):
        services.record_goods(
            fund=fund,
            item="花盆",
            quantity=Decimal("3"),
            unit="个",
            received_on=timezone.localdate(),
            by=roles.leader,
            need=need,
        )
    assert not fund.goods.exists()
