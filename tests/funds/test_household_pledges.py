"""Members of one household see what the rest of the household pledged."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from funds import services
from funds.models import CampaignNeed
from tests.factories import AccountResidentFactory, HouseholdFactory
from tests.funds.factories import ready_fund
from tests.module_data import roles_built_once

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


def test_a_household_member_sees_the_household_pledge(building, login):
    fund, leader, _rule = ready_fund(building)
    campaign = services.create_campaign(
        fund=fund,
        title="一尺花园",
        purpose="种花",
        category=None,
        goal=Decimal("0"),
        deadline=timezone.localdate() + timedelta(days=10),
        needs=[{"kind": "goods", "description": "花盆", "quantity": 20, "unit": "盆"}],
        by=leader,
    )
    household = HouseholdFactory(building=building, room="302")
    mum = AccountResidentFactory(
        household=household, name="张妈妈", public_display="anonymous"
    )
    dad = AccountResidentFactory(household=household, name="张爸爸")
    need = CampaignNeed.objects.get(campaign=campaign)
    services.pledge(need=need, resident=mum, quantity=3)
    html = login(dad.user).get(campaign.get_absolute_url()).content.decode()
    assert "您家的认捐" in html and "张妈妈 3 盆" in html
    # A neighbour sees only the name the pledger chose (anonymous here).
    neighbour = AccountResidentFactory(household__building=building)
    html = login(neighbour.user).get(campaign.get_absolute_url()).content.decode()
    assert "您家的认捐" not in html and "张妈妈" not in html
