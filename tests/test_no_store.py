"""Personal pages and exports are kept by no browser or proxy cache (issue 13)."""

import pytest
from django.urls import reverse

from tests.funds.factories import FundFactory
from tests.module_data import roles_built_once
from tests.proposals.deliberation.factories import ConsultationFactory

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


def test_personal_pages_and_exports_are_no_store(roles, login):
    building = roles.building
    FundFactory(building=building)
    consultation = ConsultationFactory(building=building)
    leader = login(roles.leader)
    urls = [
        reverse("buildings:me"),
        reverse("buildings:my-data"),
        reverse("buildings:notifications"),
        reverse("funds:statement", args=[building.pk]),
        reverse("funds:statement-print", args=[building.pk]),
        reverse("funds:statement-csv", args=[building.pk]),
        reverse("funds:statement-xlsx", args=[building.pk]),
        reverse("proposals:consultation-export", args=[building.pk, consultation.pk]),
    ]
    for url in urls:
        response = leader.get(url)
        assert response.status_code == 200, url
        cache_control = response["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control, url


def test_a_second_look_at_the_statement_is_no_store_too(roles, login):
    """The statement page comes from the page cache the second time."""
    FundFactory(building=roles.building)
    client = login(roles.resident)
    url = reverse("funds:statement", args=[roles.building.pk])
    client.get(url)
    again = client.get(url)
    assert again.status_code == 200 and "no-store" in again["Cache-Control"]
