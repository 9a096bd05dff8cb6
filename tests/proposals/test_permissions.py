"""Every view and action of issue reports x every role (docs/architecture.md, "Who may do what")."""

import pytest
from django.urls import reverse

from proposals.models import Issue, IssueComment, IssueEvent, IssueSupport
from tests.conftest import ALL_ROLES
from tests.module_data import roles_built_once
from tests.proposals.factories import IssueFactory

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()

MEMBERS = {"resident", "team", "leader", "staff"}
ORGANISERS = {"team", "leader", "staff"}


def expected(role, allowed, ok=200, denied_member=403):
    """Status code a role should get: visitors go to log in, strangers get 404."""
    if role == "visitor":
        return 302
    if role in ("outsider", "pending"):
        return 404
    return ok if role in allowed else denied_member


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize(
    "name",
    ["issues", "issues-hub", "issue-print", "issue-create", "issues-overdue", "issue"],
)
def test_pages(roles, login, issue, role, name):
    args = [roles.building.pk, issue.pk] if name == "issue" else [roles.building.pk]
    response = login(roles.get(role)).get(reverse(f"proposals:{name}", args=args))
    allowed = {"staff"} if name == "issues-overdue" else MEMBERS
    assert response.status_code == expected(role, allowed)
    if role == "visitor":
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", ALL_ROLES)
def test_report(roles, login, role):
    building = roles.building
    response = login(roles.get(role)).post(
        reverse("proposals:issue-create", args=[building.pk]),
        {"category": "sanitation", "title": "大堂很脏", "location": "lobby"},
    )
    assert response.status_code == expected(role, MEMBERS, ok=302)
    assert Issue.objects.filter(title="大堂很脏").exists() == (role in MEMBERS)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_me_too(roles, login, issue, role):
    url = reverse("proposals:issue-support", args=[roles.building.pk, issue.pk])
    response = login(roles.get(role)).post(url)
    # Staff have no home in the building: they are told so, and nothing is written.
    assert response.status_code == expected(role, MEMBERS, ok=302)
    assert IssueSupport.objects.filter(issue=issue).count() == (
        1 if role in {"resident", "team", "leader"} else 0
    )


@pytest.mark.parametrize("role", ALL_ROLES)
def test_withdraw_me_too(roles, login, issue, role):
    from buildings.models import Resident

    for who in ["resident", "team", "leader"]:
        IssueSupport.objects.create(
            issue=issue, resident=Resident.objects.get(user=roles.get(who))
        )
    url = reverse("proposals:issue-unsupport", args=[roles.building.pk, issue.pk])
    response = login(roles.get(role)).post(url)
    assert response.status_code == expected(
        role, {"resident", "team", "leader"}, ok=302
    )
    assert IssueSupport.objects.filter(issue=issue).count() == (
        2 if role in {"resident", "team", "leader"} else 3
    )


@pytest.mark.parametrize("role", ALL_ROLES)
def test_change_status(roles, login, issue, role):
    url = reverse("proposals:issue-status", args=[roles.building.pk, issue.pk])
    response = login(roles.get(role)).post(url, {"to_status": "acknowledged"})
    assert response.status_code == expected(role, ORGANISERS, ok=302)
    issue.refresh_from_db()
    assert (issue.status == "acknowledged") == (role in ORGANISERS)
    assert IssueEvent.objects.filter(issue=issue, kind="status").exists() == (
        role in ORGANISERS
    )


@pytest.mark.parametrize("role", ALL_ROLES)
def test_comment(roles, login, issue, role):
    """Answerers may comment; a resident who is neither reporter nor supporter may not."""
    url = reverse("proposals:issue-comment", args=[roles.building.pk, issue.pk])
    response = login(roles.get(role)).post(url, {"text": "我们去看看"})
    assert response.status_code == expected(role, ORGANISERS, ok=302)
    assert IssueComment.objects.filter(issue=issue).exists() == (role in ORGANISERS)


def test_reporter_and_supporter_may_comment(roles, login, issue, reporter):
    from buildings.models import Resident

    url = reverse("proposals:issue-comment", args=[roles.building.pk, issue.pk])
    assert login(reporter.user).post(url, {"text": "还是坏的"}).status_code == 302
    IssueSupport.objects.create(
        issue=issue, resident=Resident.objects.get(user=roles.resident)
    )
    assert login(roles.resident).post(url, {"text": "我家也是"}).status_code == 302
    assert list(IssueComment.objects.values_list("author_role", flat=True)) == [
        "reporter",
        "supporter",
    ]


@pytest.mark.parametrize("role", ALL_ROLES)
def test_feedback_only_reporter_or_supporter(roles, login, building, role):
    issue = IssueFactory(
        building=building, status="resolved", resolved_at="2026-01-01T10:00:00+08:00"
    )
    url = reverse("proposals:issue-feedback", args=[building.pk, issue.pk])
    response = login(roles.get(role)).post(url, {"fixed": "no", "reason": "还是坏的"})
    assert response.status_code == expected(role, MEMBERS, ok=302, denied_member=302)
    issue.refresh_from_db()
    assert (
        issue.status == "resolved"
    )  # none of these roles reported it or said "me too"


@pytest.mark.parametrize("role", ALL_ROLES)
def test_edit_someone_elses_issue(roles, login, issue, role):
    url = reverse("proposals:issue-edit", args=[roles.building.pk, issue.pk])
    client = login(roles.get(role))
    assert client.get(url).status_code == expected(role, set())
    response = client.post(
        url, {"category": "other", "title": "改掉", "location": "lobby"}
    )
    assert response.status_code == expected(role, set())
    issue.refresh_from_db()
    assert issue.title != "改掉"


def test_reporter_may_edit_until_answered(login, issue, reporter, roles):
    url = reverse("proposals:issue-edit", args=[issue.building_id, issue.pk])
    client = login(reporter.user)
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"category": "safety", "title": "铁门坏了,有安全隐患", "location": "lobby"}
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert (issue.title, issue.category) == ("铁门坏了,有安全隐患", "safety")
    issue.status = "acknowledged"
    issue.save()
    assert client.get(url).status_code == 403


@pytest.mark.parametrize(
    "name",
    [
        "issue-support",
        "issue-unsupport",
        "issue-status",
        "issue-comment",
        "issue-feedback",
    ],
)
def test_post_only(roles, login, issue, name):
    response = login(roles.leader).get(
        reverse(f"proposals:{name}", args=[roles.building.pk, issue.pk])
    )
    assert response.status_code == 405
