from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from activities.models import Task
from buildings.models import User
from gardens.models import Adoption, GardenSpace

pytestmark = pytest.mark.django_db


def test_seed_demo_lists_gardens_once_and_the_front_planter_uses_the_watering_rota(
    client,
):
    call_command("seed_demo", stdout=StringIO())
    counts = (GardenSpace.objects.count(), Adoption.objects.count())
    assert counts == (3, 2)
    front = GardenSpace.objects.get(name="楼前一尺花园")
    assert front.rota == Task.objects.get(title="一尺花园浇水")
    call_command("seed_demo", stdout=StringIO())
    assert (GardenSpace.objects.count(), Adoption.objects.count()) == counts
    # The demo resident sees her household's garden by name, as she chose.
    client.force_login(User.objects.get(phone="13800000003"))
    page = client.get(reverse("gardens:index", args=[front.building_id]))
    assert "张阿姨家" in page.content.decode()
    assert [a.space.name for a in page.context["mine"]] == ["楼前一尺花园"]
