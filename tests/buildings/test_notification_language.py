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

pytestmark = pytest.mark.django_db

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
