"""Poll texts fit the poll: 通过/未通过 for a motion, 当选 only for a choice among names;
the household sentence says what this resident's household did; rooms read as rooms."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from proposals.deliberation.polls import services as poll_services
from proposals.models import Proposal
from tests.factories import AccountResidentFactory
from tests.module_data import roles_built_once
from tests.proposals.deliberation.factories import (
    PollFactory,
    ProposalFactory,
    end_voting,
)

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


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
    assert "Your household has voted (张阿姨): Against." in page(client, poll, "en")


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


def opened_in_chinese(building, **kwargs):
    """A yes / no poll a leader opens from a Chinese page: the app names its options."""
    proposal = ProposalFactory(building=building, status=Proposal.Status.DISCUSSION)
    with translation.override("zh-hans"):
        return poll_services.open_poll(
            proposal=proposal,
            created_by=proposal.author,
            question="是否更换门厅铁门？",
            option_labels=[],
            opens_at=timezone.now() - timedelta(minutes=1),
            closes_at=timezone.now() + timedelta(days=1),
            **kwargs,
        )


def test_yes_no_options_are_read_in_the_readers_language(roles, login):
    poll = opened_in_chinese(roles.building)
    assert [o.label for o in poll.options.all()] == ["同意", "反对", "弃权"]
    client = login(roles.resident)
    english = page(client, poll, "en")
    for words in ("In favour", "Against", "Abstain"):
        assert f">{words}</label>" in english
    assert "同意" not in english and "弃权" not in english
    chinese = page(client, poll)
    assert ">同意</label>" in chinese and "In favour" not in chinese
    resident = roles.resident.memberships.get()
    poll_services.cast_ballot(
        poll=poll, option_id=option(poll, "反对").pk, resident=resident
    )
    poll = poll_services.close_poll(poll=end_voting(poll))
    english = page(client, poll, "en")
    assert f"Your household has voted ({resident.name}): Against." in english
    assert "反对" not in english
    poster = client.get(
        reverse("proposals:poll-poster", args=[poll.building_id, poll.pk])
    ).content.decode()
    assert "Against" in poster and "反对" not in poster


def test_options_people_wrote_stay_as_written(roles, login):
    poll = opened_in_chinese(roles.building)
    yes = option(poll, "同意")
    yes.label = "同意换成不锈钢门"
    yes.save()
    english = page(login(roles.resident), poll, "en")
    assert "同意换成不锈钢门" in english and "In favour" not in english


def test_an_english_leader_keeps_the_options_when_changing_the_question(roles, login):
    poll = opened_in_chinese(roles.building)
    client = login(roles.leader)
    client.cookies["django_language"] = "en"
    edit = reverse("proposals:poll-edit", args=[poll.building_id, poll.pk])
    form = client.get(edit).context["form"]
    assert [form[f"option_{i}"].initial for i in range(3)] == [
        "In favour",
        "Against",
        "Abstain",
    ]
    closes = timezone.localtime(timezone.now() + timedelta(days=5))
    response = client.post(
        edit,
        {
            "question": "Replace the lobby door?",
            "option_0": "In favour",
            "option_1": "Against",
            "option_2": "Abstain",
            "closes_at": closes.strftime("%Y-%m-%dT%H:%M"),
            "reason": "clearer question",
        },
    )
    assert response.status_code == 302
    assert [o.label for o in poll.options.all()] == ["同意", "反对", "弃权"]
    assert ">同意</label>" in page(login(roles.resident), poll)
