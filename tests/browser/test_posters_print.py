"""The vote-result poster and the fund statement, printed: one A4 page for the result,
filled top to bottom; its end (posting period, whom to ask, signatures) kept whole."""

import re

import pytest

from proposals.deliberation.polls import services as poll_services
from tests.browser.helpers import log_in
from tests.factories import AccountResidentFactory
from tests.funds.factories import donate, ready_fund
from tests.proposals.deliberation.factories import PollFactory, end_voting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

A4_WIDTH = 794  # px at 96 dpi
MM = 96 / 25.4


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def end_block(page):
    return page.evaluate(
        """() => {
        const end = document.querySelector('.poster-end');
        const poster = document.querySelector('.lobby-poster');
        return {
            breakInside: getComputedStyle(end).breakInside,
            signaturesBreak: getComputedStyle(end.querySelector('.signatures')).breakInside,
            posterHeight: poster.getBoundingClientRect().height,
            endHeight: end.getBoundingClientRect().height,
            titleSize: parseFloat(getComputedStyle(poster.querySelector('h1')).fontSize),
            lines: [...end.querySelectorAll('.signature')].map(
                s => s.getClientRects().length),
        };
    }"""
    )


def test_the_result_poster_fills_one_a4_page_and_keeps_its_end_whole(
    browser, live_server
):
    leader = AccountResidentFactory(role="leader")
    poll = PollFactory(proposal__building=leader.household.building)
    poll_services.close_poll(poll=end_voting(poll), closed_by=leader.user)
    context = browser.new_context(
        viewport={"width": A4_WIDTH, "height": 1123}, base_url=live_server.url
    )
    page = context.new_page()
    log_in(page, leader.user.phone)
    page.goto(
        f"/buildings/{poll.building_id}/decide/polls/{poll.pk}/poster/",
    )
    page.emulate_media(media="print")
    facts = end_block(page)
    assert facts["breakInside"] == "avoid"
    assert facts["signaturesBreak"] == "avoid"
    assert facts["posterHeight"] >= 260 * MM  # fills the page top to bottom
    assert facts["titleSize"] >= 30  # px: readable across the lobby
    assert facts["lines"] == [1, 1]  # each signature line on one line
    assert pdf_pages(page.pdf(format="A4")) == 1
    context.close()


def test_a_long_statement_keeps_its_end_whole(browser, live_server):
    fund, leader, _rule = ready_fund()
    for amount in range(1, 45):
        donate(fund, leader, str(amount))
    context = browser.new_context(
        viewport={"width": A4_WIDTH, "height": 1123}, base_url=live_server.url
    )
    page = context.new_page()
    log_in(page, leader.phone)
    page.goto(f"/buildings/{fund.building_id}/fund/statement/print/")
    page.emulate_media(media="print")
    facts = end_block(page)
    assert facts["breakInside"] == "avoid"
    assert facts["endHeight"] < 200 * MM  # small enough to move whole to a page
    assert facts["lines"] == [1, 1]
    assert pdf_pages(page.pdf(format="A4")) >= 2
    context.close()


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_the_posters_fit_the_phone_on_screen(browser, live_server, locale):
    fund, leader, _rule = ready_fund()
    donate(fund, leader, "50")
    poll = PollFactory(proposal__building=fund.building)
    poll_services.close_poll(poll=end_voting(poll), closed_by=leader)
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, base_url=live_server.url, locale=locale
    )
    page = context.new_page()
    log_in(page, leader.phone)
    for path in (
        f"/buildings/{fund.building_id}/fund/statement/print/",
        f"/buildings/{fund.building_id}/decide/polls/{poll.pk}/poster/",
    ):
        page.goto(path)
        assert page.locator(".posting-notice").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    context.close()
