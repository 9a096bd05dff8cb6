"""At phone size: a naming poll is opened -> residents vote -> it closes -> new name."""

import pytest

from proposals.models import Proposal
from tests.browser.helpers import fits_the_phone, html, log_in
from tests.factories import AccountResidentFactory, BuildingFactory, HouseholdFactory
from tests.proposals.deliberation.factories import ProposalFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_naming_poll_renames_the_building(phone, new_phone):
    building = BuildingFactory(number="8号楼", is_pilot=True)
    leader = AccountResidentFactory(
        household=HouseholdFactory(building=building, room="101"),
        role="leader",
        name="王建华",
    )
    zhang = AccountResidentFactory(
        household=HouseholdFactory(building=building, room="302"), name="张阿姨"
    )
    chen = AccountResidentFactory(
        household=HouseholdFactory(building=building, room="402"), name="陈小明"
    )
    proposal = ProposalFactory(
        building=building,
        author=leader.user,
        kind=Proposal.Kind.NAMING,
        title="给我们楼组起个名字",
    )

    # The leader opens the naming poll.
    page = phone
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, leader.user.phone)
    page.goto(proposal.get_absolute_url())
    page.click("text=发起表决")
    page.fill("textarea[name=options]", "睦邻楼\n花园楼")
    page.click("main button[type=submit]")
    assert "投票已开始" in html(page)
    assert fits_the_phone(page)
    poll_url = page.url

    # Two residents vote from their phones.
    for resident, name in [(zhang, "睦邻楼"), (chen, "睦邻楼")]:
        voter = new_phone()
        log_in(voter, resident.user.phone)
        voter.goto(f"/buildings/{building.pk}/decide/")
        assert "需要我投票" in html(voter)
        voter.click(".card.border-danger .list-group-item")
        voter.check(f"label:has-text('{name}')")
        voter.click("form.vote-form button[type=submit]")
        assert "您的投票已记录" in html(voter)
        assert "投票结束后公布结果" in html(voter)
        assert fits_the_phone(voter)

    # The leader closes it; the result is announced and the building renamed.
    page.goto(poll_url)
    assert "2 / 3 户" in html(page)
    page.fill("textarea[name=reason]", "全楼已商量好，提前公布")
    with page.expect_navigation():
        page.click("text=立即结束并公布结果")
    assert "睦邻楼 当选" in html(page)
    assert "全楼已商量好，提前公布" in html(page)
    assert "2 票 · 100%" in html(page)

    resident_page = new_phone()
    log_in(resident_page, zhang.user.phone)
    resident_page.goto("/")
    assert "8号楼 · 睦邻楼" in resident_page.locator(".topbar-title").inner_text()
    assert fits_the_phone(resident_page)
