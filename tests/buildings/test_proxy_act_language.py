"""What a leader did for a resident without a smartphone (代录) is read in each reader's
language, whoever did it: the resident's page is opened by every leader of the building
and by staff, and the admin lists the acts."""

import pytest
from django.urls import reverse
from django.utils import translation

from buildings import team
from buildings.models import ProxyAct
from buildings.services import register_proxy_resident, update_talents
from tests.factories import HouseholdFactory, StaffFactory
from tests.module_data import roles_built_once

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


def resident_page(client, resident, language):
    client.cookies["django_language"] = language
    url = reverse(
        "buildings:resident", args=[resident.household.building_id, resident.pk]
    )
    return client.get(url).content.decode()


def elder_registered_in_chinese(roles):
    with translation.override("zh-hans"):  # the leader's pages are in Chinese
        elder = register_proxy_resident(
            building=roles.building,
            leader=roles.leader,
            room=HouseholdFactory(building=roles.building).room,
            name="钱奶奶",
        )
        update_talents(
            resident=elder,
            skills=["剪纸"],
            offer="",
            visibility=elder.talent_visibility,
            actor=roles.leader,
        )
    return elder


def test_staff_reading_english_see_what_a_chinese_leader_did(roles, login):
    elder = elder_registered_in_chinese(roles)
    english = resident_page(login(roles.staff), elder, "en")
    assert "Registered this resident" in english
    assert "Updated skills and choices" in english
    assert "登记" not in english and "更新" not in english
    chinese = resident_page(login(roles.leader), elder, "zh-hans")
    assert "Registered this resident" not in chinese


def test_the_party_badge_switch_is_read_in_the_readers_language(roles, login):
    elder = elder_registered_in_chinese(roles)
    elder.is_party_member = True
    elder.save(update_fields=["is_party_member"])
    with translation.override("zh-hans"):
        team.set_party_badge(resident=elder, show=True, actor=roles.leader)
    assert "Showed the party badge" in resident_page(login(roles.staff), elder, "en")


def test_acts_written_before_keep_their_words(roles, login):
    elder = elder_registered_in_chinese(roles)
    ProxyAct.objects.create(resident=elder, actor=roles.leader, action="代签公约")
    assert "代签公约" in resident_page(login(roles.staff), elder, "en")


def test_the_admin_lists_acts_in_the_readers_language(roles, login):
    elder = elder_registered_in_chinese(roles)
    client = login(StaffFactory(is_superuser=True))
    client.cookies["django_language"] = "en"
    page = client.get(reverse("admin:buildings_proxyact_changelist")).content.decode()
    assert "Registered this resident" in page
    assert elder.name in page
