"""At phone size: register -> ask to join -> leader approves -> resident sees the building."""

import pytest

from core.sms import console
from tests.browser.helpers import fits_the_phone, html, log_in
from tests.factories import AccountResidentFactory, BuildingFactory, HouseholdFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_register_join_approve_and_see_the_building(phone, new_phone):
    building = BuildingFactory(number="8号楼", is_pilot=True)
    HouseholdFactory(building=building, room="302")
    leader = AccountResidentFactory(
        household__building=building, role="leader", name="王建华"
    )

    page = phone
    page.goto("/accounts/register/")
    page.fill("input[name=phone]", "139 1234 5678")
    console.outbox.clear()
    page.click("button[name=action][value=send]")  # the code comes by text message
    page.fill("input[name=code]", console.outbox[-1].params["code"])
    page.fill("input[name=name]", "张阿姨")
    page.fill("input[name=password1]", "lobby-door-2026")
    page.fill("input[name=password2]", "lobby-door-2026")
    page.click("main button[type=submit]:not([name=action])")
    page.select_option("select[name=building]", str(building.pk))
    page.fill("input[name=room]", "302")
    page.click("main button[type=submit]")
    assert "等待审核" in html(page)
    assert fits_the_phone(page)

    leader_page = new_phone()
    log_in(leader_page, leader.user.phone)
    leader_page.goto(f"/buildings/{building.pk}/requests/")
    assert "张阿姨" in html(leader_page)
    leader_page.click("text=通过")
    assert "张阿姨 已加入本楼组" in html(leader_page)

    page.goto("/")
    assert "8号楼" in page.locator(".topbar-title").inner_text()
    assert "试点" in html(page)
    assert "王建华" in html(page)
    assert fits_the_phone(page)
    nav = page.locator(".bottom-nav a").first.bounding_box()
    assert nav["height"] >= 48
