"""Lobby notices (公示) on A4: the fund statement and the vote result say how long they
stay up (公示期) and whom to ask, name only the building's leaders (never a phone, a
room, a voter or a donor kept private) and keep the signature lines in one piece."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from proposals.deliberation.polls import services as poll_services
from tests.factories import AccountResidentFactory
from tests.funds.factories import donate, ready_fund
from tests.proposals.deliberation.factories import PollFactory, end_voting

pytestmark = pytest.mark.django_db


def period_text(start):
    end = start + timedelta(days=6)
    return f"{start.year}年{start.month}月{start.day}日", (
        f"{end.year}年{end.month}月{end.day}日"
    )


def poster_end(html: str) -> str:
    start = html.index('<div class="poster-end">')
    return html[start : html.index("</article>", start)]


@pytest.fixture
def closed_poll(roles):
    poll = PollFactory(proposal__building=roles.building, question="楼道装感应灯吗")
    poll_services.close_poll(poll=end_voting(poll), closed_by=roles.leader)
    return poll


def test_the_statement_poster_carries_the_period_the_leader_and_signatures(
    roles, login
):
    fund, _fund_leader, _rule = ready_fund(roles.building)
    leader = roles.leader.memberships.get()
    donor = AccountResidentFactory(household__building=roles.building, name="匿名捐")
    donate(fund, roles.leader, "100", donor_resident=donor, public_name="anonymous")
    with time_machine.travel("2026-11-30 10:00 +0800", tick=False):
        html = (
            login(roles.resident)
            .get(reverse("funds:statement-print", args=[roles.building.pk]))
            .content.decode()
        )
    end = poster_end(html)
    assert 'class="posting-notice"' in end and 'class="signatures"' in end
    assert "2026年11月30日" in end and "2026年12月6日" in end
    assert leader.name in end
    assert roles.leader.phone not in html and leader.household.room not in end
    assert "匿名捐" not in html  # an anonymous gift stays anonymous on the poster
    assert "lobby-poster" in html and "css/posters" in html


def test_the_result_poster_carries_the_period_the_leader_and_signatures(
    roles, login, closed_poll
):
    leader = roles.leader.memberships.get()
    url = reverse("proposals:poll-poster", args=[roles.building.pk, closed_poll.pk])
    html = login(roles.resident).get(url).content.decode()
    start, end_day = period_text(timezone.localdate())
    end = poster_end(html)
    assert start in end and end_day in end
    assert leader.name in end and roles.leader.phone not in html
    assert end.count("signature-line short") == 2
    assert "lobby-poster" in html


def test_with_no_leader_the_poster_sends_questions_to_the_committee(building, login):
    fund, fund_leader, _rule = ready_fund(building)
    fund_leader.memberships.update(role="resident")
    resident = AccountResidentFactory(household__building=building)
    html = (
        login(resident.user)
        .get(reverse("funds:statement-print", args=[building.pk]))
        .content.decode()
    )
    notice = poster_end(html)
    assert re.search(r"committee|居委会|居民委员会", notice)


def test_the_posting_period_follows_the_setting(roles, login, closed_poll, settings):
    settings.NOTICE_POSTING_DAYS = 10
    url = reverse("proposals:poll-poster", args=[roles.building.pk, closed_poll.pk])
    html = login(roles.resident).get(url).content.decode()
    last = timezone.localdate() + timedelta(days=9)
    assert f"{last.year}年{last.month}月{last.day}日" in poster_end(html)


def test_the_print_styles_keep_the_end_in_one_piece_and_fill_a4():
    from pathlib import Path

    css = (Path(__file__).parents[1] / "static/css/posters.css").read_text()
    assert "size: A4" in css
    assert re.search(r"\.poster-end \{[^}]*break-inside: avoid", css)
    assert re.search(r"\.signatures \{[^}]*break-inside: avoid", css)
    assert re.search(r"\.signature \{[^}]*white-space: nowrap", css)


def test_an_english_reader_reads_the_posting_period_in_english(
    roles, login, closed_poll
):
    fund, _fund_leader, _rule = ready_fund(roles.building)
    AccountResidentFactory(household__building=roles.building, role="leader")
    client = login(roles.resident)
    client.cookies["django_language"] = "en"
    with time_machine.travel("2026-11-30 10:00 +0800", tick=False):
        for url in (
            reverse("funds:statement-print", args=[roles.building.pk]),
            reverse("proposals:poll-poster", args=[roles.building.pk, closed_poll.pk]),
        ):
            notice = poster_end(client.get(url).content.decode())
            assert "from Nov. 30, 2026 to Dec. 6, 2026 (7 days)" in notice, url
            assert "年" not in notice and "月" not in notice, url
            assert "、" not in notice, url  # names listed with an English comma


def test_a_chinese_reader_reads_the_leaders_names_with_the_chinese_comma(
    roles, login, closed_poll
):
    AccountResidentFactory(household__building=roles.building, role="leader")
    client = login(roles.resident)
    url = reverse("proposals:poll-poster", args=[roles.building.pk, closed_poll.pk])
    notice = poster_end(client.get(url).content.decode())
    assert "、" in notice
