"""Times, durations, amounts and rooms as people say them (core/templatetags/words.py)."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.template import Context, Template
from django.utils import translation

from core.templatetags.words import clock, day, duration, room, span, when, yuan

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Monday 30 November 2026, 10:00 in Shanghai.
NOW = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=SHANGHAI)


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.parametrize(
    ("moment", "zh", "en"),
    [
        (at(2026, 11, 30, 14, 0), "今天 14:00", "Today 14:00"),
        (at(2026, 11, 29, 9, 30), "昨天 09:30", "Yesterday 09:30"),
        (at(2026, 12, 1, 8, 5), "明天 08:05", "Tomorrow 08:05"),
        # Earlier this week and this year: the date and its weekday.
        (at(2026, 11, 27, 14, 0), "11月27日（周五） 14:00", "Fri 27 Nov 14:00"),
        (at(2026, 3, 2, 19, 0), "3月2日（周一） 19:00", "Mon 2 Mar 19:00"),
        # Another year: the year too.
        (
            at(2025, 11, 27, 14, 0),
            "2025年11月27日（周四） 14:00",
            "Thu 27 Nov 2025 14:00",
        ),
    ],
)
def test_a_moment_is_written_as_people_say_it(moment, zh, en):
    with translation.override("zh-hans"):
        assert when(moment) == zh
    with translation.override("en"):
        assert when(moment) == en


def test_a_moment_in_utc_is_written_in_local_time():
    utc = datetime.datetime(2026, 11, 30, 6, 0, tzinfo=datetime.UTC)
    with translation.override("zh-hans"):
        assert when(utc) == "今天 14:00"


def test_paper_never_says_today():
    with translation.override("zh-hans"):
        assert when(at(2026, 11, 30, 14, 0), "exact") == "11月30日（周一） 14:00"
        assert day(datetime.date(2026, 11, 29), "exact") == "11月29日（周日）"
    with translation.override("en"):
        assert when(at(2026, 11, 30, 14, 0), "exact") == "Mon 30 Nov 14:00"


def test_a_day_without_its_time():
    with translation.override("zh-hans"):
        assert day(datetime.date(2026, 11, 30)) == "今天"
        assert day(at(2026, 11, 29, 23, 0)) == "昨天"
        assert day(datetime.date(2026, 11, 27)) == "11月27日（周五）"
        assert day(datetime.date(2024, 2, 29)) == "2024年2月29日（周四）"
    with translation.override("en"):
        assert day(datetime.date(2026, 11, 30)) == "Today"
        assert day(datetime.date(2026, 11, 27)) == "Fri 27 Nov"
        assert day(datetime.date(2024, 2, 29)) == "Thu 29 Feb 2024"
    assert day(None) == "" and when("") == ""


def test_a_time_range_is_zero_padded_and_says_the_day_once():
    with translation.override("zh-hans"):
        assert span(at(2026, 11, 30, 13, 0), at(2026, 11, 30, 14, 0)) == (
            "今天 13:00–14:00"
        )
        assert span(at(2026, 11, 27, 1, 0), at(2026, 11, 27, 2, 0)) == (
            "11月27日（周五） 01:00–02:00"
        )
        assert span(at(2026, 11, 30, 20, 0), at(2026, 12, 2, 9, 0)) == (
            "今天 20:00 – 12月2日（周三） 09:00"
        )
    with translation.override("en"):
        assert span(at(2026, 11, 27, 1, 0), at(2026, 11, 27, 2, 0)) == (
            "Fri 27 Nov 01:00–02:00"
        )
    assert clock(at(2026, 11, 27, 9, 5)) == "09:05"


@pytest.mark.parametrize(
    ("hours", "zh", "en"),
    [
        (72.0, "3 天", "3 days"),
        (Decimal("72.0"), "3 天", "3 days"),
        (24, "24 小时", "24 hours"),
        (1, "1 小时", "1 hour"),
        (5.4, "5 小时", "5 hours"),
        (0.75, "45 分钟", "45 minutes"),
        (49, "2 天", "2 days"),
        (None, "—", "—"),
    ],
)
def test_durations_in_hours_are_said_in_days_hours_or_minutes(hours, zh, en):
    with translation.override("zh-hans"):
        assert duration(hours) == zh
    with translation.override("en"):
        assert duration(hours) == en


def test_response_times_read_as_days_not_decimal_hours(roles, login, settings):
    from django.urls import reverse

    from proposals.models import Issue
    from tests.proposals.factories import IssueFactory

    settings.LOUZU_ISSUE_RESPONSE_HOURS = 72
    issue = IssueFactory(building=roles.building)
    Issue.objects.filter(pk=issue.pk).update(
        created_at=NOW - datetime.timedelta(hours=80),
        first_response_at=NOW - datetime.timedelta(hours=8),
    )
    client = login(roles.resident)
    issues = reverse("proposals:issues", args=[roles.building.pk])
    zh = client.get(issues).content.decode()
    assert "一般 3 天内回应" in zh and "在 3 天内回应" in zh
    assert "72.0" not in zh and "小时" not in zh
    assert "3 天后首次回应" in client.get(issue.get_absolute_url()).content.decode()
    client.cookies["django_language"] = "en"
    en = client.get(issues).content.decode()
    assert "Usually answered within 3 days; 1 of the last 1 within 3 days." in en
    assert "First response after 3 days" in (
        client.get(issue.get_absolute_url()).content.decode()
    )


def test_money_is_always_yuan_with_separators_and_two_places():
    assert yuan(Decimal("1100")) == "¥1,100.00"
    assert yuan(1100.5) == "¥1,100.50"
    assert yuan(Decimal("-25")) == "-¥25.00"
    assert yuan(None) == ""
    # Every template has the filter, without loading anything.
    assert Template("{{ amount|yuan }}").render(Context({"amount": 1100})) == (
        "¥1,100.00"
    )


def test_rooms_are_shown_as_rooms(db):
    from buildings.models import Household
    from tests.factories import BuildingFactory

    household = Household.objects.create(building=BuildingFactory(), room="302")
    with translation.override("zh-hans"):
        assert room(household) == "302室"
        assert room(household, "masked") == "3*2室"
        assert room("11", "masked") == "1*室"
    with translation.override("en"):
        assert room(household) == "Room 302"
        assert room(household, "masked") == "Room 3*2"
    assert room(None) == ""
