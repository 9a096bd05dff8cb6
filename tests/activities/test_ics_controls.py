"""The .ics download holds no control character, whatever an organiser typed."""

import re

import pytest
from django.urls import reverse

from tests.activities.factories import ActivityFactory
from tests.module_data import roles_built_once

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


def test_control_characters_never_reach_the_calendar(roles, login, building):
    activity = ActivityFactory(
        building=building,
        title="亲子\x1b手工课\x7f",
        place="活动室\x07",
        text="第一行\r\n第二行\x0b\t带上剪刀",
    )
    response = login(roles.resident).get(
        reverse("activities:ics", args=[building.pk, activity.pk])
    )
    assert response.status_code == 200
    body = response.content.decode("utf-8")
    lines = body.replace("\r\n ", "").split("\r\n")
    assert "SUMMARY:亲子手工课" in lines and "LOCATION:活动室" in lines
    assert any(
        line.startswith("DESCRIPTION:第一行\\n第二行\t带上剪刀") for line in lines
    )
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", body.replace("\r\n", ""))
