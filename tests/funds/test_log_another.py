"""Fast paths for a leader logging gifts: the amount alone is an anonymous gift (as the
form's help text says), and "Log another donation" opens the form again on the same
date and way of paying."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from funds.models import LedgerEntry, PublicName
from tests.funds.factories import donate, ready_fund, spend
from tests.module_data import roles_built_once

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


@pytest.fixture
def fund_and_leader(building):
    fund, leader, _rule = ready_fund(building)
    return fund, leader


def test_the_amount_alone_with_the_form_defaults_is_an_anonymous_gift(
    fund_and_leader, login
):
    fund, leader = fund_and_leader
    client = login(leader)
    url = reverse("funds:donation-create", args=[fund.building_id])
    form = client.get(url).context["form"]
    assert "只填金额" in str(form.fields["donor_name"].help_text)
    data = {
        "token": str(uuid.uuid4()),
        "amount": "30",
        "occurred_on": form["occurred_on"].value().isoformat(),
        "public_name": form["public_name"].value(),  # the default as the page sends it
        "paid_by": form["paid_by"].value(),
    }
    response = client.post(url, data)
    assert response.status_code == 302
    entry = LedgerEntry.objects.latest("pk")
    assert entry.kind == "donation"
    assert entry.public_name == PublicName.ANONYMOUS
    assert entry.donor_resident is None and entry.donor_name == ""


def test_log_another_keeps_the_date_and_the_way_of_paying(fund_and_leader, login):
    fund, leader = fund_and_leader
    client = login(leader)
    day = timezone.localdate() - timedelta(days=3)
    url = reverse("funds:donation-create", args=[fund.building_id])
    response = client.post(
        url,
        {
            "token": str(uuid.uuid4()),
            "amount": "88",
            "occurred_on": day.isoformat(),
            "donor_name": "王先生",
            "public_name": "name",
            "paid_by": "wechat",
        },
        follow=True,
    )
    another = response.context["another_url"]
    assert another in response.content.decode().replace("&amp;", "&")
    assert "再记一笔" in response.content.decode() or "Log another" in (
        response.content.decode()
    )
    form = client.get(another).context["form"]
    assert form["occurred_on"].value() == day
    assert form["paid_by"].value() == "wechat"
    assert not form["amount"].value() and not form["donor_name"].value()


def test_bad_values_in_the_address_fall_back_to_the_defaults(fund_and_leader, login):
    fund, leader = fund_and_leader
    client = login(leader)
    url = reverse("funds:donation-create", args=[fund.building_id])
    response = client.get(url, {"occurred_on": "2026-13-45", "paid_by": "gold"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form["occurred_on"].value() == timezone.localdate()
    assert form["paid_by"].value() == "cash"


@pytest.mark.parametrize(
    "role, shown",
    [("resident", False), ("team", False), ("leader", True), ("staff", True)],
)
def test_only_who_logs_money_is_offered_log_another(roles, login, role, shown):
    fund, _leader, _rule = ready_fund(roles.building)
    entry = donate(fund, roles.leader, "20", paid_by="alipay")
    response = login(roles.get(role)).get(entry.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert (f"/buildings/{roles.building.pk}/fund/donations/new/?" in html) is shown


def test_an_expense_offers_no_log_another_donation(building, login):
    fund, leader, rule = ready_fund(building)
    donate(fund, leader, "100")
    expense = spend(fund, leader, "5", rule)
    response = login(leader).get(expense.get_absolute_url())
    assert response.context["another_url"] == ""
    assert "/fund/donations/new/?" not in response.content.decode()
