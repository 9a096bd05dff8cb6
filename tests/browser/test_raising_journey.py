"""At phone size, JavaScript off: a resident raises a matter (举手) -> neighbours co-sign ->
it reaches the council agenda -> the leader puts it to a vote with a photo per option."""

import pytest

from tests.browser.conftest import PHONE
from tests.browser.helpers import fits_the_phone, html, log_in
from tests.factories import AccountResidentFactory, BuildingFactory, HouseholdFactory
from tests.proposals.deliberation.factories import MeetingFactory
from tests.proposals.factories import jpeg_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def no_js_phone(browser, live_server):
    """Open phones with JavaScript switched off: every step must work without it."""
    contexts = []

    def _open():
        context = browser.new_context(
            viewport=PHONE,
            base_url=live_server.url,
            locale="zh-CN",
            java_script_enabled=False,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield _open
    for context in contexts:
        context.close()


def photo(name, color):
    return {"name": name, "mimeType": "image/jpeg", "buffer": jpeg_bytes(color=color)}


def test_a_raised_matter_reaches_the_council_and_becomes_a_photo_poll(no_js_phone):
    building = BuildingFactory(number="8号楼", is_pilot=True)
    leader = AccountResidentFactory(
        household=HouseholdFactory(building=building, room="101"),
        role="leader",
        name="王建华",
    )
    zhang, chen, li = (
        AccountResidentFactory(
            household=HouseholdFactory(building=building, room=room), name=name
        )
        for room, name in [("302", "张阿姨"), ("402", "陈小明"), ("502", "李伯伯")]
    )
    meeting = MeetingFactory(building=building, title="十二月议事会")
    decide = f"/buildings/{building.pk}/decide/"

    # 张阿姨 raises her hand: benches and plants for the lobby, with a photo.
    page = no_js_phone()
    log_in(page, zhang.user.phone)
    page.goto(decide)
    page.click("text=举手提议")
    page.fill("input[name=title]", "门厅摆花和长椅")
    page.fill("textarea[name=body]", "门厅空荡荡，老人等电梯没地方坐。")
    page.fill("input[name=budget]", "800")
    page.set_input_files("input[name=photos]", [photo("lobby.jpg", "gray")])
    assert fits_the_phone(page)
    page.click("main button[type=submit]")
    assert "您的提议已提出" in html(page)
    assert "1 / 3 户已联署" in html(page)
    assert page.locator("img.raised-photo").count() == 1
    assert fits_the_phone(page)

    # Two neighbours find it on the 议事 page and co-sign for their households.
    for resident, progress in [(chen, "2 / 3 户已联署"), (li, "3 / 3 户已联署")]:
        neighbour = no_js_phone()
        log_in(neighbour, resident.user.phone)
        neighbour.goto(decide)
        neighbour.click("text=门厅摆花和长椅")
        neighbour.click("text=为本户联署")
        assert "您家已联署，谢谢！" in html(neighbour)
        assert progress in html(neighbour)
        assert fits_the_phone(neighbour)

    # It reached the council agenda: the December meeting lists it.
    page.goto(meeting.get_absolute_url())
    assert "门厅摆花和长椅" in html(page)
    page.goto("/me/notifications/")
    assert "已列入“十二月议事会”" in html(page)

    # The leader puts it to the vote with two designs, each with its picture.
    boss = no_js_phone()
    log_in(boss, leader.user.phone)
    boss.goto(decide)
    boss.click("text=门厅摆花和长椅")
    assert "议事会" in html(boss)
    boss.click("text=发起表决")
    boss.fill("input[name=question]", "门厅选哪个方案？")
    boss.fill("textarea[name=options]", "方案一：绿植墙\n方案二：长椅加花架")
    boss.click("main button[type=submit]")
    assert "投票已开始" in html(boss)
    boss.click("text=选项的照片")
    inputs = boss.locator("input[type=file]")
    assert inputs.count() == 2
    inputs.nth(0).set_input_files([photo("a.jpg", "green")])
    inputs.nth(1).set_input_files([photo("b.jpg", "brown")])
    assert fits_the_phone(boss)
    boss.click("main button[type=submit]")
    assert "照片已保存" in html(boss)
    assert boss.locator("img.option-photo").count() == 2

    # 陈小明 sees the two designs large and votes for the benches.
    voter = no_js_phone()
    log_in(voter, chen.user.phone)
    voter.goto(decide)
    voter.click(".card.border-danger .list-group-item")
    assert voter.locator("img.option-photo").count() == 2
    width = voter.locator("img.option-photo").first.bounding_box()["width"]
    assert width > 300  # large on a 390 px phone
    voter.check("label:has-text('方案二：长椅加花架')")
    voter.click("form.vote-form button[type=submit]")
    assert "您的投票已记录" in html(voter)
    assert fits_the_phone(voter)
