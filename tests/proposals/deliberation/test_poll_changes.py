"""A leader changes or cancels a poll before the first ballot, with a reason the building sees."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from buildings.models import ChangeNote, Notification
from proposals.deliberation.polls import services
from proposals.models import Ballot, Poll, Proposal
from tests.conftest import ALL_ROLES
from tests.factories import AccountResidentFactory
from tests.module_data import roles_built_once
from tests.proposals.deliberation.factories import PollFactory

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()

MANAGERS = {"leader", "staff"}


def url(name, poll):
    return reverse(f"proposals:{name}", args=[poll.building_id, poll.pk])


def edit_data(poll, **extra):
    closes = timezone.localtime(timezone.now() + timedelta(days=5))
    data = {
        "question": "是否更换门厅铁门？",
        "closes_at": closes.strftime("%Y-%m-%dT%H:%M"),
        "reason": "问题写得不清楚",
    }
    for i, option in enumerate(poll.options.order_by("position")):
        data[f"option_{i}"] = option.label + "（改）"
    data.update(extra)
    return data


def expected(role):
    if role in MANAGERS or role == "visitor":
        return 302
    if role in {"outsider", "pending"}:
        return 404
    return 403


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_may_edit_a_poll(roles, login, role):
    poll = PollFactory(proposal__building=roles.building)
    response = login(roles.get(role)).post(url("poll-edit", poll), edit_data(poll))
    assert response.status_code == expected(role)
    poll.refresh_from_db()
    assert (poll.question == "是否更换门厅铁门？") is (role in MANAGERS)
    assert (poll.version == 2) is (role in MANAGERS)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_may_cancel_a_poll(roles, login, role):
    poll = PollFactory(proposal__building=roles.building)
    response = login(roles.get(role)).post(
        url("poll-cancel", poll), {"reason": "方案要重新讨论"}
    )
    assert response.status_code == expected(role)
    poll.refresh_from_db()
    assert poll.is_cancelled is (role in MANAGERS)


def test_edit_changes_words_and_tells_the_building(roles, login):
    poll = PollFactory(proposal__building=roles.building)
    client = login(roles.leader)
    page = client.get(url("poll-edit", poll))
    assert page.status_code == 200 and "同意" in page.content.decode()
    client.post(url("poll-edit", poll), edit_data(poll))
    assert list(poll.options.order_by("position").values_list("label", flat=True)) == [
        "同意（改）",
        "反对（改）",
        "弃权（改）",
    ]
    told = Notification.objects.get(recipient=roles.resident, kind="poll_changed")
    assert "问题写得不清楚" in told.text
    page = login(roles.resident).get(url("poll", poll)).content.decode()
    assert "问题写得不清楚" in page and "修改" in page


def test_a_ballot_from_a_page_read_before_the_edit_is_refused(roles, login):
    poll = PollFactory(proposal__building=roles.building)
    option = poll.options.get(label="同意")
    login(roles.leader).post(url("poll-edit", poll), edit_data(poll))
    response = login(roles.resident).post(
        url("poll-vote", poll), {"option": option.pk, "version": 1}, follow=True
    )
    assert "请重新阅读" in response.content.decode()
    assert not Ballot.objects.exists()
    login(roles.resident).post(
        url("poll-vote", poll), {"option": option.pk, "version": 2}
    )
    assert Ballot.objects.get().option.label == "同意（改）"


def test_after_the_first_ballot_nothing_can_be_changed_or_cancelled(roles, login):
    poll = PollFactory(proposal__building=roles.building)
    services.cast_ballot(
        poll=poll,
        option_id=poll.options.first().pk,
        resident=roles.resident.memberships.get(),
    )
    client = login(roles.leader)
    response = client.post(url("poll-edit", poll), edit_data(poll), follow=True)
    assert "已经有人投票" in response.content.decode()
    client.post(url("poll-cancel", poll), {"reason": "不要了"})
    poll.refresh_from_db()
    assert poll.version == 1 and not poll.is_cancelled
    assert not ChangeNote.objects.exists()


def test_cancelled_poll_stays_with_its_reason_and_takes_no_ballot(roles, login):
    poll = PollFactory(proposal__building=roles.building)
    login(roles.leader).post(url("poll-cancel", poll), {"reason": "方案要重新讨论"})
    poll.refresh_from_db()
    assert poll.proposal.status == Proposal.Status.DISCUSSION
    assert not Poll.objects.open_now().exists()
    assert Notification.objects.filter(
        recipient=roles.resident, kind="poll_changed", text__contains="方案要重新讨论"
    ).exists()
    client = login(roles.resident)
    page = client.get(url("poll", poll)).content.decode()
    assert "方案要重新讨论" in page and "已取消" in page
    client.post(url("poll-vote", poll), {"option": poll.options.first().pk})
    assert not Ballot.objects.exists()
    assert services.close_due_polls() == 0


@pytest.mark.parametrize(
    "change",
    [
        {"reason": ""},
        {"question": "   "},
        {"option_0": "反对（改）"},  # two options the same
        {"option_1": ""},
        {"closes_at": "2001-01-01T10:00"},
        {"closes_at": "明天"},
        {"option_2": "长" * 101},
    ],
)
def test_bad_edits_change_nothing(roles, login, change):
    poll = PollFactory(proposal__building=roles.building)
    response = login(roles.leader).post(
        url("poll-edit", poll), edit_data(poll, **change)
    )
    assert response.status_code == 200
    poll.refresh_from_db()
    assert poll.version == 1
    assert set(poll.options.values_list("label", flat=True)) == {"同意", "反对", "弃权"}


def test_poll_page_with_history_has_bounded_queries(
    roles, login, django_assert_max_num_queries
):
    poll = PollFactory(proposal__building=roles.building)
    for i in range(3):
        login(roles.leader).post(
            url("poll-edit", poll), edit_data(poll, reason=f"第{i}次修改")
        )
        poll.refresh_from_db()
    for _ in range(5):
        AccountResidentFactory(household__building=roles.building)
    client = login(roles.leader)
    with django_assert_max_num_queries(25):
        response = client.get(url("poll", poll))
    assert "第2次修改" in response.content.decode()
