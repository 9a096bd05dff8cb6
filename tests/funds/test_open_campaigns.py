"""A campaign is open in one sense everywhere: the building page counts the campaigns
the fund page marks open and the services take gifts and pledges for."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from funds.models import Campaign
from tests.funds.factories import CampaignFactory, FundFactory
from tests.module_data import roles_built_once

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


def test_a_campaign_past_its_deadline_is_not_counted_open(roles, client):
    """Its deadline passed yesterday and nobody pressed "Close": the fund page marked
    it closed (已结束) and refused gifts and pledges for it, while the building page
    still said "1 个众筹进行中" and the donation form still offered it."""
    fund = FundFactory(building=roles.building)
    today = timezone.localdate()
    running = CampaignFactory(fund=fund, deadline=today)
    CampaignFactory(fund=fund, deadline=today - timedelta(days=1))
    client.force_login(roles.resident)
    cards = client.get(reverse("funds:index", args=[roles.building.pk]))
    marked_open = [c for c in cards.context["campaigns"] if c.is_open]
    assert marked_open == [running]
    page = client.get(roles.building.get_absolute_url()).content.decode()
    assert "1 个众筹进行中" in page
    assert list(Campaign.objects.filter(fund=fund).open()) == [running]
