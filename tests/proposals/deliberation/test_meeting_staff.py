"""Branch staff on a council meeting's sign-in sheet, beside the residents."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from proposals.models import MeetingAttendance
from tests.factories import (
    AccountResidentFactory,
    CommunityFactory,
    StaffFactory,
    UserFactory,
)
from tests.module_data import roles_built_once
from tests.proposals.deliberation.factories import MeetingFactory

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


def _url(meeting):
    return reverse(
        "proposals:meeting-attendance", args=[meeting.building_id, meeting.pk]
    )


def test_leader_signs_in_branch_staff_once_and_everyone_sees_it(roles, login):
    meeting = MeetingFactory(building=roles.building)
    worker = StaffFactory(name="王社工", communities=[roles.building.community])
    elsewhere = StaffFactory(name="李社工", communities=[CommunityFactory()])
    client = login(roles.leader)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert 'name="staff"' in page and "王社工" in page
    assert "李社工" not in page  # staff of another community are not offered
    client.post(_url(meeting), {"staff": elsewhere.pk})
    assert not MeetingAttendance.objects.exists()
    client.post(_url(meeting), {"staff": worker.pk})
    again = client.post(_url(meeting), {"staff": worker.pk}, follow=True)
    assert "已经签到了" in again.content.decode()
    attendance = MeetingAttendance.objects.get()
    assert attendance.staff == worker and attendance.resident is None
    assert attendance.recorded_by == roles.leader
    seen = login(roles.resident).get(meeting.get_absolute_url()).content.decode()
    assert "支部/居委工作人员 · 王社工" in seen
    # Once signed in, staff are no longer offered in the organiser's list.
    offered = login(roles.leader).get(meeting.get_absolute_url()).content.decode()
    assert f'<option value="{worker.pk}">王社工</option>' not in offered


@pytest.mark.parametrize("kind", ["resident", "plain user", "inactive staff", "none"])
def test_only_active_staff_are_signed_in_as_staff(roles, login, kind):
    meeting = MeetingFactory(building=roles.building)
    person = {
        "resident": lambda: roles.resident,
        "plain user": lambda: UserFactory(),
        "inactive staff": lambda: StaffFactory(
            is_active=False, communities=[roles.building.community]
        ),
        "none": lambda: None,
    }[kind]()
    data = {"staff": person.pk} if person else {"staff": "999999999"}
    response = login(roles.team).post(_url(meeting), data)
    assert response.status_code == 404
    assert not MeetingAttendance.objects.exists()


@pytest.mark.parametrize(
    "data", [{}, {"staff": "abc"}, {"resident": "", "staff": ""}, {"staff": "-3"}]
)
def test_bad_sign_in_is_a_message_not_a_row(roles, login, data):
    meeting = MeetingFactory(building=roles.building)
    response = login(roles.team).post(_url(meeting), data, follow=True)
    assert response.status_code == 200
    assert "请选择签到的人" in response.content.decode()
    assert not MeetingAttendance.objects.exists()


def test_resident_and_staff_together_are_refused(roles, login):
    meeting = MeetingFactory(building=roles.building)
    resident = roles.resident.memberships.get()
    response = login(roles.team).post(
        _url(meeting), {"resident": resident.pk, "staff": roles.staff.pk}, follow=True
    )
    assert "请选择签到的人" in response.content.decode()
    assert not MeetingAttendance.objects.exists()


def test_a_line_is_a_resident_or_staff_never_both_nor_neither(roles):
    meeting = MeetingFactory(building=roles.building)
    resident = roles.resident.memberships.get()
    for fields in ({"resident": resident, "staff": roles.staff}, {}):
        with pytest.raises(IntegrityError), transaction.atomic():
            MeetingAttendance.objects.create(
                meeting=meeting, recorded_by=roles.leader, **fields
            )


def test_meeting_page_queries_stay_bounded_with_many_staff(
    roles, login, django_assert_max_num_queries
):
    meeting = MeetingFactory(building=roles.building)
    for n in range(30):
        worker = StaffFactory()
        if n % 2:
            MeetingAttendance.objects.create(
                meeting=meeting, staff=worker, recorded_by=roles.leader
            )
    for _n in range(20):
        resident = AccountResidentFactory(household__building=roles.building)
        MeetingAttendance.objects.create(
            meeting=meeting, resident=resident, recorded_by=roles.leader
        )
    client = login(roles.leader)
    client.get(meeting.get_absolute_url())  # warm the log-in cache
    with django_assert_max_num_queries(14):
        response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count('name="staff"') == 1
