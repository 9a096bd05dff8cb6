import json

import pytest
from django.urls import reverse

from gardens.models import Adoption
from tests.factories import AccountResidentFactory
from tests.gardens.factories import AdoptionFactory, GardenSpaceFactory
from tests.module_data import roles_built_once

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


def test_my_data_has_my_adoptions_and_leaving_removes_my_name(client, building):
    resident = AccountResidentFactory(
        household__building=building, name="张阿姨", user__name="张阿姨"
    )
    space = GardenSpaceFactory(building=building, name="三楼窗台")
    AdoptionFactory(space=space, adopted_by=resident, shown_as="name")
    client.force_login(resident.user)
    data = json.loads(client.get(reverse("buildings:my-data")).content)
    assert data["gardens"]["garden_adoptions"][0]["space"] == "三楼窗台"

    client.post(reverse("buildings:leave"), {"password": "pass-word-123"})
    assert Adoption.objects.filter(space=space).count() == 1  # the season stays taken
    neighbour = AccountResidentFactory(household__building=building)
    client.force_login(neighbour.user)
    page = client.get(space.get_absolute_url()).content.decode()
    assert "张阿姨" not in page
