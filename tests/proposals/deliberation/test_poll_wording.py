"""Poll texts fit the poll: 通过/未通过 for a motion, 当选 only for a choice among names;
the household sentence says what this resident's household did; rooms read as rooms."""

import pytest

from proposals.deliberation.polls import services as poll_services
from tests.factories import AccountResidentFactory
from tests.proposals.deliberation.factories import PollFactory, end_voting

pytestmark = pytest.mark.django_db


def option(poll, label):
    return poll.options.get(label=label)


def voters(roles):
    return [
        user.memberships.get() for user in (roles.resident, roles.team, roles.leader)
    ]


def page(client, poll, language="zh-hans"):
    client.cookies["django_language"] = language
    return client.get(poll.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("choices", "zh", "en"),
    [
        (["同意", "同意", "反对"], "通过", "Passed"),
        (["反对", "反对", "同意"], "未通过", "Not passed"),
    ],
)
def test_a_motion_is_passed_or_not_never_elected(roles, login, choices, zh, en):
    poll = PollFactory(proposal__building=roles.building)
    for resident, label in zip(voters(roles), choices, strict=True):
        poll_services.cast_ballot(
            poll=poll, option_id=option(poll, label).pk, resident=resident
        )
    poll = poll_services.close_poll(poll=end_voting(poll))
    client = login(roles.resident)
    text = page(client, poll)
    assert f'<span class="badge status-{poll.outcome}">{zh}</span>' in text
    assert "当选" not in text
    english = page(client, poll, "en")
    assert f">{en}</span>" in english and "Elected" not in english


def test_a_choice_among_names_says_who_is_elected(roles, login):
    poll = PollFactory(proposal__building=roles.building, labels=["王阿姨", "李师傅"])
    for resident, label in zip(
        voters(roles), ["王阿姨", "王阿姨", "李师傅"], strict=True
    ):
        poll_services.cast_ballot(
            poll=poll, option_id=option(poll, label).pk, resident=resident
        )
    poll = poll_services.close_poll(poll=end_voting(poll))
    client = login(roles.resident)
    text = page(client, poll)
    assert "王阿姨 当选" in text and "通过" not in text
    assert "Elected: 王阿姨" in page(client, poll, "en")


def test_the_household_sentence_says_what_this_household_did(roles, login):
    poll = PollFactory(proposal__building=roles.building)
    leader = roles.leader.memberships.get()
    poll_services.cast_ballot(
        poll=poll, option_id=option(poll, "同意").pk, resident=leader
    )
    # Someone else's household voted; this resident's has not.
    client = login(roles.resident)
    text = page(client, poll)
    assert "您家还没有投票。" in text
    assert "代表本户" not in text and "您家已投票" not in text
    assert "Your household has not voted yet." in page(client, poll, "en")
    # Once a member of the household votes, everyone in it reads that it has.
    resident = roles.resident.memberships.get()
    housemate = AccountResidentFactory(household=resident.household, name="张阿姨")
    poll_services.cast_ballot(
        poll=poll, option_id=option(poll, "反对").pk, resident=housemate
    )
    text = page(client, poll)
    assert "您家已投票（张阿姨）：反对。" in text
    assert "还没有投票" not in text
    assert "Your household has voted (张阿姨): 反对." in page(client, poll, "en")


def test_voters_are_listed_as_masked_rooms(roles, login):
    poll = PollFactory(proposal__building=roles.building)
    leader = roles.leader.memberships.get()
    leader.household.room = "302"
    leader.household.save()
    poll_services.cast_ballot(
        poll=poll, option_id=option(poll, "同意").pk, resident=leader
    )
    client = login(roles.resident)
    assert "<li>3*2室" in page(client, poll)
    assert "<li>Room 3*2" in page(client, poll, "en")


def test_change_and_cancel_notices_are_read_in_each_readers_language(roles):
    from django.utils import translation

    from buildings.models import Notification
    from proposals.deliberation.meetings import changes as meeting_changes
    from tests.proposals.deliberation.factories import MeetingFactory

    meeting = MeetingFactory(building=roles.building)
    meeting_changes.cancel_meeting(meeting=meeting, by=roles.leader, reason="下雨")
    notice = Notification.objects.filter(
        recipient=roles.resident, kind="meeting"
    ).latest("pk")
    with translation.override("en"):
        assert notice.body.startswith("Council meeting of ")
        assert notice.body.endswith(" cancelled: 下雨")
    with translation.override("zh-hans"):
        assert "议事会已取消：下雨" in notice.body
