"""The admin writes money as every page of the fund does: ¥1,000.00, in or out."""

import re
from datetime import date
from decimal import Decimal

import pytest
import time_machine

from funds import services
from funds.models import Fund
from tests.factories import StaffFactory
from tests.funds.factories import CampaignFactory, donate, ready_fund, spend
from tests.module_data import roles_built_once

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


def cells(page, field):
    return re.findall(rf'<td class="field-{field}[^"]*">([^<]*)</td>', page)


def test_the_ledger_list_shows_amounts_as_the_ledger_does(building, client):
    """It showed the signed column as stored: -1000.00 for an expense of ¥1,000.00."""
    with time_machine.travel(date(2026, 6, 20), tick=False):
        fund, leader, rule = ready_fund(building)
        gift = donate(fund, leader, "2000", occurred_on=date(2026, 6, 2))
        expense = spend(fund, leader, "1000", rule, occurred_on=date(2026, 6, 5))
        refund, _created = services.reverse_entry(
            entry=expense, reason="店家退款", by=leader
        )
    client.force_login(StaffFactory(is_superuser=True))
    page = client.get("/admin/funds/ledgerentry/").content.decode()
    # The gift, the expense, the refund (a negative in the money-out column).
    assert cells(page, "money_in") == ["¥2,000.00", "-", "-"]
    assert cells(page, "money_out") == ["-", "¥1,000.00", "-¥1,000.00"]
    assert str(gift).endswith("¥2,000.00")
    assert str(expense).endswith("¥1,000.00")
    assert str(refund).endswith("-¥1,000.00")
    entry_page = client.get(expense.get_absolute_url()).content.decode()
    assert "¥1,000.00" in entry_page


def test_the_fund_and_campaign_lists_write_yuan(building, client):
    fund, _leader, _rule = ready_fund(building)
    Fund.objects.filter(pk=fund.pk).update(approval_threshold=Decimal("1500"))
    CampaignFactory(fund=fund, goal=Decimal("3000"))
    client.force_login(StaffFactory(is_superuser=True))
    page = client.get("/admin/funds/fund/").content.decode()
    assert cells(page, "threshold") == ["¥1,500.00"]
    page = client.get("/admin/funds/campaign/").content.decode()
    assert cells(page, "money_goal") == ["¥3,000.00"]
