"""Each person reads a notification in their own language, whoever's request sent it."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation

from buildings.models import Notification, User
from buildings.notify import At, Message, notify, notify_many
from buildings.services import decide_join_request
from tests.factories import AccountResidentFactory
from tests.module_data import roles_built_once

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()

SHANGHAI = ZoneInfo("Asia/Shanghai")


def inbox(client, language):
    client.cookies["django_language"] = language
    return client.get(reverse("buildings:notifications")).content.decode()


def test_a_leader_in_chinese_welcomes_a_resident_who_reads_english(
    roles, login, building
):
    newcomer = AccountResidentFactory(household__building=building, status="pending")
    with translation.override("zh-hans"):  # the leader's request is in Chinese
        decide_join_request(resident=newcomer, approve=True, decided_by=roles.leader)
    client = login(newcomer.user)
    english = inbox(client, "en")
    assert f"Welcome! You have joined {building.display_name}." in english
    assert "欢迎" not in english
    chinese = inbox(client, "zh-hans")
    assert "欢迎" in chinese and "Welcome!" not in chinese


def test_times_and_labels_in_a_message_follow_the_reader(roles, login):
    moment = datetime(2026, 3, 2, 9, 30, tzinfo=SHANGHAI)
    with translation.override("zh-hans"):
        notify(
            recipient=roles.resident,
            kind="poll_closing",
            text=Message(
                "The vote “%(question)s” closes %(when)s and you have not voted yet.",
                question="加装电梯",
                when=At(moment, "when"),
            ),
        )
    stored = Notification.objects.get()
    assert stored.message["p"]["question"] == "加装电梯"
    with translation.override("en"):
        assert stored.body == (
            "The vote “加装电梯” closes Mon 2 Mar 09:30 and you have not voted yet."
        )
    with translation.override("zh-hans"):
        assert stored.body.startswith("投票“加装电梯”")
        assert "3月2日" in stored.body and "closes" not in stored.body


def test_a_choice_label_is_kept_as_its_message_id(roles):
    from proposals.models import Issue

    with translation.override("zh-hans"):
        message = Message(
            "“%(title)s” is now: %(status)s.",
            title="漏水",
            status=Issue.Status.IN_PROGRESS.label,
        )
    stored = message.stored()
    assert stored["p"]["status"] == {"m": "In progress", "p": {}}
    with translation.override("en"):
        assert str(message) == "“漏水” is now: In progress."


def test_rows_written_before_keep_their_text(roles, login):
    Notification.objects.create(recipient=roles.resident, kind="x", text="旧的消息")
    assert "旧的消息" in inbox(login(roles.resident), "en")


def test_plain_text_is_stored_as_it_is(roles):
    notify(recipient=roles.resident, kind="meeting", text="开会")
    stored = Notification.objects.get()
    assert stored.message is None and stored.body == "开会"


def test_a_translation_that_lost_a_placeholder_falls_back_to_english(roles):
    stored = {"m": "Poll result: %(question)s", "p": {"question": "加装电梯"}}
    from buildings import wording

    with translation.override("zh-hans"):
        assert wording.render(stored).endswith("加装电梯")
    assert wording.render({"m": "%(missing)s and more", "p": {"x": 1}}) == (
        "%(missing)s and more"
    )


def test_switching_language_is_kept_on_the_account(roles, login):
    client = login(roles.resident)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert User.objects.get(pk=roles.resident.pk).language == "en"
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert User.objects.get(pk=roles.resident.pk).language == "en"  # unchanged


def test_the_inbox_query_count_does_not_grow_with_messages(
    roles, login, django_assert_max_num_queries
):
    client = login(roles.resident)
    notify_many(
        recipients=[roles.resident],
        kind="announcement",
        text=Message("New announcement: %(title)s", title="停水"),
    )
    inbox(client, "en")  # reads them
    with django_assert_max_num_queries(8):
        inbox(client, "en")
    for n in range(40):
        notify(
            recipient=roles.resident,
            kind="poll_closing",
            text=Message(
                "Vote now: %(question)s (until %(closes)s)",
                question=f"问题{n}",
                closes=At(datetime(2026, 3, 2, 9, 30, tzinfo=SHANGHAI)),
            ),
        )
    inbox(client, "en")
    with django_assert_max_num_queries(8):
        page = inbox(client, "en")
    assert "Vote now: 问题39 (until" in page


def test_what_a_leader_changes_reaches_each_reader_in_their_own_language(
    roles, building
):
    """A leader working in English appoints, asks for a talent, corrects and cancels
    (announcement, meeting, poll, consultation), ends an adoption and sees a
    raised matter reach the agenda: every notice is kept as its message id and values,
    so a reader in Chinese reads Chinese (labels, seasons and times included)."""
    from buildings import services, team
    from buildings.models import Resident
    from gardens import services as gardens
    from proposals.deliberation.consultations import changes as consultations
    from proposals.deliberation.meetings import changes as meetings
    from proposals.deliberation.polls import changes as polls
    from proposals.deliberation.raising import services as raising
    from tests.factories import AnnouncementFactory
    from tests.gardens.factories import AdoptionFactory
    from tests.proposals.deliberation.factories import (
        ConsultationFactory,
        MeetingFactory,
        PollFactory,
    )

    leader = roles.leader
    resident = Resident.objects.get(user=roles.resident)
    with translation.override("en"):
        team.appoint_to_team(resident=resident, actor=leader)
        team.remove_from_team(resident=resident, actor=leader, reason="moved")
        team.propose_talent(
            resident=resident, skill_name="理发", offer="免费", actor=leader
        )
        services.withdraw_announcement(
            announcement=AnnouncementFactory(building=building), by=leader, reason="错"
        )
        meetings.cancel_meeting(
            meeting=MeetingFactory(building=building), by=leader, reason="下雨"
        )
        polls.cancel_poll(
            poll=PollFactory(proposal__building=building), by=leader, reason="重来"
        )
        consultations.cancel_consultation(
            consultation=ConsultationFactory(building=building),
            by=leader,
            reason="重来",
        )
        adoption = AdoptionFactory(space__building=building, adopted_by=resident)
        gardens.give_up(adoption=adoption, actor=leader)
        MeetingFactory(building=building, title="第九次议事会")
        raising.set_threshold(building=building, threshold=2, set_by=leader)
        matter = raising.raise_matter(resident=resident, title="装扶手", body="老人多")
        raising.cosign(proposal=matter, resident=Resident.objects.get(user=roles.team))
    told = list(Notification.objects.filter(recipient=roles.resident))
    kinds = {n.kind for n in told}
    assert {"team_role", "talent_invitation", "announcement", "meeting"} <= kinds
    assert {"poll_changed", "garden_given_up", "proposal_followed"} <= kinds
    for notice in told:
        assert notice.message is not None, notice.text  # words kept as an id
    with translation.override("zh-hans"):
        chinese = " ".join(n.body for n in told)
    for english in ["Spring", "Summer", "Autumn", "Winter", "You are now", "cancelled"]:
        assert english not in chinese
    with translation.override("en"):
        english = " ".join(n.body for n in told)
    assert "You are now on the self-governance team" in english
