"""Leaders move, re-plan or cancel a council meeting, and change or cancel a consultation
before the first answer, with a reason the building sees and is told."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from buildings.models import ChangeNote, Notification
from proposals.models import ConsultationResponse
from tests.conftest import ALL_ROLES
from tests.module_data import roles_built_once
from tests.proposals.deliberation.factories import (
    ConsultationFactory,
    MeetingFactory,
    ProposalFactory,
)
from tests.proposals.deliberation.test_permissions import answer_data

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()

MANAGERS = {"leader", "staff"}


def url(name, obj):
    return reverse(f"proposals:{name}", args=[obj.building_id, obj.pk])


def expected(role):
    if role in MANAGERS or role == "visitor":
        return 302
    if role in {"outsider", "pending"}:
        return 404
    return 403


def later(days=3):
    return timezone.localtime(timezone.now() + timedelta(days=days)).strftime(
        "%Y-%m-%dT%H:%M"
    )


def meeting_data(**extra):
    data = {
        "title": "第一次议事会",
        "starts_at": later(),
        "place": "二楼活动室",
        "agenda_notes": "",
        "reason": "门厅在刷墙",
    }
    data.update(extra)
    return data


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_may_change_a_meeting(roles, login, role):
    meeting = MeetingFactory(building=roles.building)
    response = login(roles.get(role)).post(
        url("meeting-change", meeting), meeting_data()
    )
    assert response.status_code == expected(role)
    meeting.refresh_from_db()
    assert (meeting.place == "二楼活动室") is (role in MANAGERS)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_may_cancel_a_meeting(roles, login, role):
    meeting = MeetingFactory(building=roles.building)
    response = login(roles.get(role)).post(
        url("meeting-cancel", meeting), {"reason": "议题已解决"}
    )
    assert response.status_code == expected(role)
    meeting.refresh_from_db()
    assert meeting.is_cancelled is (role in MANAGERS)


def test_new_time_and_place_are_told_and_kept_in_the_history(roles, login):
    meeting = MeetingFactory(building=roles.building)
    proposal = ProposalFactory(building=roles.building)
    client = login(roles.leader)
    assert client.get(url("meeting-change", meeting)).status_code == 200
    client.post(url("meeting-change", meeting), meeting_data(agenda=[proposal.pk]))
    meeting.refresh_from_db()
    assert list(meeting.agenda.all()) == [proposal]
    told = Notification.objects.get(recipient=roles.resident, kind="meeting")
    assert "二楼活动室" in told.text and "门厅在刷墙" in told.text
    page = login(roles.resident).get(url("meeting", meeting)).content.decode()
    assert "门厅在刷墙" in page and "修改记录" in page


def test_cancelled_meeting_stays_and_cannot_be_changed(roles, login):
    meeting = MeetingFactory(building=roles.building)
    client = login(roles.leader)
    client.post(url("meeting-cancel", meeting), {"reason": "议题已解决"})
    assert Notification.objects.filter(
        recipient=roles.resident, kind="meeting", text__contains="议题已解决"
    ).exists()
    client.post(url("meeting-change", meeting), meeting_data(place="别处"))
    meeting.refresh_from_db()
    assert meeting.place == "一楼门厅"
    page = (
        login(roles.resident)
        .get(url_list("meetings", meeting.building))
        .content.decode()
    )
    assert "已取消" in page


def url_list(name, building):
    return reverse(f"proposals:{name}", args=[building.pk])


@pytest.mark.parametrize(
    "change",
    [
        {"reason": ""},
        {"starts_at": "2001-01-01T10:00"},
        {"starts_at": "下周"},
        {"place": ""},
    ],
)
def test_bad_meeting_changes_change_nothing(roles, login, change):
    meeting = MeetingFactory(building=roles.building)
    response = login(roles.leader).post(
        url("meeting-change", meeting), meeting_data(**change)
    )
    assert response.status_code == 200
    meeting.refresh_from_db()
    assert meeting.place == "一楼门厅"
    assert not ChangeNote.objects.exists()


def test_a_past_meeting_cannot_be_moved(roles, login):
    meeting = MeetingFactory(
        building=roles.building, starts_at=timezone.now() - timedelta(days=1)
    )
    login(roles.leader).post(url("meeting-change", meeting), meeting_data())
    meeting.refresh_from_db()
    assert meeting.place == "一楼门厅"


def consultation_data(**extra):
    data = {
        "title": "门厅改造征询（更正）",
        "intro": "更正了说明。",
        "closes_at": later(5),
        "reason": "说明写错了",
    }
    data.update(extra)
    return data


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_may_change_a_consultation(roles, login, role):
    consultation = ConsultationFactory(building=roles.building)
    response = login(roles.get(role)).post(
        url("consultation-edit", consultation), consultation_data()
    )
    assert response.status_code == expected(role)
    consultation.refresh_from_db()
    assert (consultation.version == 2) is (role in MANAGERS)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_may_cancel_a_consultation(roles, login, role):
    consultation = ConsultationFactory(building=roles.building)
    response = login(roles.get(role)).post(
        url("consultation-cancel", consultation), {"reason": "不需要了"}
    )
    assert response.status_code == expected(role)
    consultation.refresh_from_db()
    assert consultation.is_cancelled is (role in MANAGERS)


def test_consultation_change_is_told_and_stale_answers_are_refused(roles, login):
    consultation = ConsultationFactory(building=roles.building)
    login(roles.leader).post(
        url("consultation-edit", consultation), consultation_data()
    )
    assert Notification.objects.filter(
        recipient=roles.resident, kind="poll_changed", text__contains="说明写错了"
    ).exists()
    client = login(roles.resident)
    page = client.get(url("consultation", consultation)).content.decode()
    assert "说明写错了" in page and "门厅改造征询（更正）" in page
    stale = {**answer_data(consultation), "version": "1"}
    response = client.post(url("consultation-answer", consultation), stale, follow=True)
    assert "请重新阅读" in response.content.decode()
    assert not ConsultationResponse.objects.exists()
    client.post(
        url("consultation-answer", consultation),
        {**answer_data(consultation), "version": "2"},
    )
    assert ConsultationResponse.objects.count() == 1


def test_after_the_first_answer_a_consultation_cannot_change(roles, login):
    consultation = ConsultationFactory(building=roles.building)
    login(roles.resident).post(
        url("consultation-answer", consultation), answer_data(consultation)
    )
    client = login(roles.leader)
    client.post(url("consultation-edit", consultation), consultation_data())
    client.post(url("consultation-cancel", consultation), {"reason": "不要了"})
    consultation.refresh_from_db()
    assert consultation.version == 1 and not consultation.is_cancelled


def test_cancelled_consultation_takes_no_answers(roles, login):
    consultation = ConsultationFactory(building=roles.building)
    login(roles.leader).post(
        url("consultation-cancel", consultation), {"reason": "重复了"}
    )
    client = login(roles.resident)
    client.post(url("consultation-answer", consultation), answer_data(consultation))
    assert not ConsultationResponse.objects.exists()
    page = client.get(url("consultation", consultation)).content.decode()
    assert "重复了" in page and "已取消" in page


@pytest.mark.parametrize(
    "change", [{"reason": "  "}, {"closes_at": "2001-01-01T10:00"}, {"title": ""}]
)
def test_bad_consultation_changes_change_nothing(roles, login, change):
    consultation = ConsultationFactory(building=roles.building)
    response = login(roles.leader).post(
        url("consultation-edit", consultation), consultation_data(**change)
    )
    assert response.status_code == 200
    consultation.refresh_from_db()
    assert consultation.version == 1
