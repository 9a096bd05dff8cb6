"""A meeting task's "done": a real button that opens a page asking first (no JavaScript
needed); only the confirming button marks it done. Who may: the team, the leader, staff
of the community, and the person the task was given to."""

import pytest
from django.urls import reverse

from proposals.models import MeetingTask
from tests.conftest import ALL_ROLES, STAFF_ROLES
from tests.module_data import roles_built_once
from tests.proposals.deliberation.factories import MeetingFactory

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()

# The task belongs to "resident"; these may mark it done.
MAY = {"resident", "team", "leader", "staff", "town_staff"}


@pytest.fixture
def task(roles):
    meeting = MeetingFactory(building=roles.building)
    owner = roles.resident.memberships.get()
    return MeetingTask.objects.create(
        meeting=meeting, title="联系物业报价", owner=owner
    )


def url(task):
    return reverse(
        "proposals:meeting-task-done",
        args=[task.meeting.building_id, task.meeting_id, task.pk],
    )


def refusal(role) -> int:
    if role == "visitor":
        return 302  # to the log-in page
    if role in {"outsider", "pending", "other_staff"}:
        return 404
    return 403


def test_the_meeting_page_shows_a_button_that_opens_the_question(task, login):
    page = login(task.owner.user).get(task.meeting.get_absolute_url()).content.decode()
    assert f'class="btn btn-outline-success text-nowrap" href="{url(task)}"' in page
    # no form on the meeting page marks it done in one tap
    assert f'action="{url(task)}"' not in page


def test_the_question_names_the_task_and_only_the_confirming_button_marks_it(
    task, login
):
    client = login(task.owner.user)
    asked = client.get(url(task))
    html = asked.content.decode()
    assert asked.status_code == 200
    assert "联系物业报价" in html and 'name="confirm" value="yes"' in html
    task.refresh_from_db()
    assert not task.is_done

    # a POST without the confirming button only asks again
    assert client.post(url(task)).status_code == 200
    task.refresh_from_db()
    assert not task.is_done

    done = client.post(url(task), {"confirm": "yes"})
    assert done.status_code == 302
    task.refresh_from_db()
    assert task.is_done and task.done_by == task.owner.user

    # done already: a second confirmation changes nothing and says so
    again = client.post(url(task), {"confirm": "yes"}, follow=True)
    assert "已经完成" in again.content.decode() or "already done" in (
        again.content.decode()
    )


@pytest.mark.parametrize("role", ALL_ROLES + STAFF_ROLES)
def test_who_may_ask_and_confirm(roles, task, login, role):
    client = login(roles.get(role))
    asked = client.get(url(task))
    confirmed = client.post(url(task), {"confirm": "yes"})
    task.refresh_from_db()
    if role in MAY:
        assert asked.status_code == 200
        assert confirmed.status_code == 302
        assert task.is_done
    else:
        assert asked.status_code == refusal(role)
        assert confirmed.status_code == refusal(role)
        assert not task.is_done


def test_the_superuser_may_confirm(task, login):
    from tests.factories import StaffFactory

    client = login(StaffFactory(is_superuser=True))
    assert client.post(url(task), {"confirm": "yes"}).status_code == 302
    task.refresh_from_db()
    assert task.is_done


def test_the_question_page_in_english_with_few_queries(
    task, login, django_assert_max_num_queries
):
    client = login(task.owner.user)
    with django_assert_max_num_queries(12):
        page = client.get(url(task), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert "Mark this task done?" in html and "Yes, it is done" in html
