"""An anonymous reporter is stored but shown to no one in the app, leaders included.

The crawl fetches, as every role, every page of the issues app (each list filter, each
issue, the timeline, the print list, the hub, the overdue list, the form with its
"similar issues"), the role's own notifications, and the admin pages of staff without
the dedicated permission, and asserts that the anonymous reporters' names, phones and
rooms (plain or masked) appear nowhere.
"""

import re

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from buildings.models import Household, Notification, ProxyAct
from proposals.models import Issue, IssueComment, IssueEvent, IssueReporterLook
from tests.conftest import ALL_ROLES
from tests.factories import AccountResidentFactory, ResidentFactory, UserFactory
from tests.module_data import roles_built_once
from tests.proposals.factories import IssueFactory, jpeg_bytes

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()

SECRET_NAME, SECRET_PHONE, SECRET_ROOM = "隐名者", "13912345678", "6A09"
PROXY_NAME, PROXY_PHONE, PROXY_ROOM = "隐名奶奶", "021-5555-8181", "7B08"
ADMIN_VIEW_PERMS = [
    "proposals.view_issue",
    "proposals.view_issueevent",
    "proposals.view_issuecomment",
    "proposals.view_issuesupport",
    "proposals.view_issuephoto",
    "proposals.view_issuereporterlook",
    "auditlog.view_logentry",
]


def traces():
    """Every way the two anonymous reporters could show up."""
    words = [
        SECRET_NAME,
        SECRET_PHONE,
        "139****5678",
        SECRET_ROOM,
        "6**9",
        PROXY_NAME,
        PROXY_PHONE,
        PROXY_ROOM,
        "7**8",
    ]
    return words


@pytest.fixture
def story(roles, login):
    """Two anonymous issues that lived a full life, written through the real views."""
    building = roles.building
    user = UserFactory(name=SECRET_NAME, phone=SECRET_PHONE)
    household = Household.objects.create(building=building, room=SECRET_ROOM)
    secret = AccountResidentFactory(user=user, household=household, name=SECRET_NAME)
    granny = ResidentFactory(
        household=Household.objects.create(building=building, room=PROXY_ROOM),
        name=PROXY_NAME,
        contact_phone=PROXY_PHONE,
        registered_by=roles.leader,
    )
    supporter = AccountResidentFactory(household__building=building)

    reporter_client = login(user)
    reporter_client.post(
        reverse("proposals:issue-create", args=[building.pk]),
        {
            "category": "thrown_objects",
            "title": "有人高空抛物",
            "text": "晚上九点左右,从楼上扔下酒瓶。",
            "location": "outside",
            "anonymous": "on",
            "photos": [SimpleUploadedFile("bottle.jpg", jpeg_bytes(), "image/jpeg")],
        },
    )
    issue = Issue.objects.get(title="有人高空抛物")
    reporter_client.post(
        reverse("proposals:issue-edit", args=[building.pk, issue.pk]),
        {
            "category": "thrown_objects",
            "title": "有人高空抛物",
            "text": "晚上九点,酒瓶。",
            "location": "outside",
        },
    )
    IssueFactory(building=building, category="thrown_objects", title="另一件抛物的事")
    login(supporter.user).post(
        reverse("proposals:issue-support", args=[building.pk, issue.pk])
    )
    leader_client = login(roles.leader)
    status_url = reverse("proposals:issue-status", args=[building.pk, issue.pk])
    leader_client.post(
        status_url, {"to_status": "acknowledged", "reason": "已贴提醒告示"}
    )
    leader_client.post(
        reverse("proposals:issue-comment", args=[building.pk, issue.pk]),
        {"text": "请报告人留意时间"},
    )
    reporter_client = login(user)
    reporter_client.post(
        reverse("proposals:issue-comment", args=[building.pk, issue.pk]),
        {"text": "又扔了一次"},
    )
    leader_client = login(roles.leader)
    reply_to = IssueComment.objects.get(text="又扔了一次")
    leader_client.post(
        reverse("proposals:issue-comment", args=[building.pk, issue.pk]),
        {"text": "收到", "reply_to": reply_to.pk},
    )
    leader_client.post(status_url, {"to_status": "resolved", "reason": "装了监控"})
    login(user).post(
        reverse("proposals:issue-feedback", args=[building.pk, issue.pk]),
        {"fixed": "no", "reason": "还在扔"},
    )
    # A leader writes down an anonymous report for an elderly resident without a phone.
    login(roles.leader).post(
        reverse("proposals:issue-create", args=[building.pk]),
        {
            "category": "neighbours",
            "title": "楼上噪音",
            "location": "lobby",
            "anonymous": "on",
            "on_behalf_of": granny.pk,
        },
    )
    proxy_issue = Issue.objects.get(title="楼上噪音")
    login(roles.leader).post(
        reverse("proposals:issue-status", args=[building.pk, proxy_issue.pk]),
        {"to_status": "deliberating"},
    )
    return {
        "issues": [issue, proxy_issue],
        "secret": secret,
        "granny": granny,
        "user": user,
    }


def test_the_story_really_happened(story):
    issue, proxy_issue = story["issues"]
    assert issue.reporter == story["secret"] and issue.is_anonymous
    assert proxy_issue.reporter == story["granny"] and proxy_issue.is_anonymous
    issue.refresh_from_db()
    assert issue.status == "in_progress" and issue.photos.count() == 1
    kinds = list(issue.events.values_list("kind", "actor_role", "actor"))
    assert ("reported", "reporter", None) in kinds and (
        "not_fixed",
        "reporter",
        None,
    ) in kinds
    assert ("edited", "reporter", None) in kinds
    assert IssueComment.objects.get(text="又扔了一次").author is None
    # Nothing written elsewhere pairs the reporters with their issues.
    assert not ProxyAct.objects.filter(resident=story["granny"]).exists()
    assert not LogEntry.objects.filter(actor=story["user"]).exists()
    assert not Notification.objects.filter(
        recipient=story["user"], text__contains="有人高空抛物"
    ).exists()
    assert Notification.objects.filter(
        recipient=story["user"], kind="issue_followed"
    ).exists()


# A leader's "report for a resident" picker lists every resident of the building, with no
# link to any issue: it is the one place their names belong, so the crawl leaves it out.
PICKER = re.compile(r'<select name="on_behalf_of".*?</select>', re.S)
# Random tokens (CSRF, the money forms' one-time token) may contain a room-like string
# such as "7B08" by chance.
CSRF = re.compile(r'name="(?:csrfmiddlewaretoken|token)" value="[^"]*"')


def visible_text(response) -> str:
    """The page as crawled: without the leader's resident picker and the CSRF tokens."""
    return CSRF.sub("", PICKER.sub("", response.content.decode()))


def app_urls(building, issues):
    base = [
        reverse("proposals:issues", args=[building.pk]),
        reverse("proposals:issues-hub", args=[building.pk]),
        reverse("proposals:issue-print", args=[building.pk]),
        reverse("proposals:issues-overdue", args=[building.pk]),
        reverse("proposals:issue-create", args=[building.pk]),
        reverse("buildings:notifications"),
        reverse("buildings:detail", args=[building.pk]),
        reverse("buildings:todo", args=[building.pk]),
        reverse("buildings:my-data"),
        building.community.get_absolute_url(),
        reverse("proposals:index", args=[building.pk]),
        reverse("proposals:proposals", args=[building.pk]),
        reverse("funds:index", args=[building.pk]),
        reverse("activities:index", args=[building.pk]),
        reverse("dashboard:community", args=[building.community_id]),
    ]
    list_url = reverse("proposals:issues", args=[building.pk])
    for status, _label in [
        ("open", ""),
        ("overdue", ""),
        ("all", ""),
        *Issue.Status.choices,
    ]:
        base.append(f"{list_url}?status={status}")
        base.append(f"{list_url}?status={status}&sort=support&mine=on")
    for category in Issue.Category.values:
        base.append(f"{list_url}?status=all&category={category}")
        base.append(
            reverse("proposals:issue-create", args=[building.pk])
            + f"?category={category}"
        )
    for issue in issues:
        base.append(issue.get_absolute_url())
        base.append(reverse("proposals:issue-edit", args=[building.pk, issue.pk]))
    return base


@pytest.mark.parametrize("role", ALL_ROLES)
def test_crawl_every_page_as_every_role(story, roles, login, role):
    client = login(roles.get(role))
    fetched = 0
    for url in app_urls(roles.building, story["issues"]):
        for language in ["zh-hans", "en"]:
            response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code in (200, 302, 403, 404), url
            body = visible_text(response)
            for trace in traces():
                assert trace not in body, (role, url, trace)
            fetched += response.status_code == 200
    if role in {"resident", "team", "leader", "staff"}:
        assert fetched > 50


def test_crawl_the_admin_as_staff_without_the_permission(story, roles, login, grant):
    staff = grant(roles.staff, *ADMIN_VIEW_PERMS)
    assert not staff.has_perm("buildings.view_anonymous_reporter")
    client = login(staff)
    issue, proxy_issue = story["issues"]
    urls = [
        reverse("admin:proposals_issue_changelist"),
        reverse("admin:proposals_issue_changelist") + "?is_anonymous__exact=1",
        reverse("admin:proposals_issueevent_changelist"),
        reverse("admin:proposals_issuecomment_changelist"),
        reverse("admin:proposals_issuesupport_changelist"),
        reverse("admin:proposals_issuephoto_changelist"),
        *[
            reverse("admin:proposals_issue_change", args=[i.pk])
            for i in (issue, proxy_issue)
        ],
        *[
            reverse("admin:proposals_issueevent_change", args=[e.pk])
            for e in IssueEvent.objects.all()
        ],
        *[
            reverse("admin:proposals_issuecomment_change", args=[c.pk])
            for c in IssueComment.objects.all()
        ],
    ]
    # The audit log is for superusers only (its entries belong to no one community);
    # staff are refused it outright (the superuser's crawl checks what it shows).
    audit = LogEntry.objects.filter(content_type__app_label="proposals")
    assert audit.count() >= 3
    for entry in audit:
        url = reverse("admin:auditlog_logentry_change", args=[entry.pk])
        assert client.get(url).status_code == 403, url
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = visible_text(response)
        for trace in traces():
            assert trace not in body, (url, trace)
    searched = client.get(
        reverse("admin:proposals_issue_changelist") + f"?q={SECRET_NAME}"
    )
    assert searched.context["cl"].result_count == 0
    assert not IssueReporterLook.objects.exists()


def test_staff_with_the_permission_see_the_reporter_and_each_look_is_audited(
    story, roles, login, grant
):
    staff = grant(
        roles.staff,
        "proposals.view_issue",
        "proposals.change_issue",
        "buildings.view_anonymous_reporter",
    )
    client = login(staff)
    issue, proxy_issue = story["issues"]
    changelist = client.get(
        reverse("admin:proposals_issue_changelist")
    ).content.decode()
    assert SECRET_NAME not in changelist  # the list never shows it, even to them
    page = client.get(
        reverse("admin:proposals_issue_change", args=[issue.pk])
    ).content.decode()
    assert SECRET_NAME in page and SECRET_PHONE in page and SECRET_ROOM in page
    client.get(reverse("admin:proposals_issue_change", args=[issue.pk]))
    proxy_page = client.get(
        reverse("admin:proposals_issue_change", args=[proxy_issue.pk])
    ).content.decode()
    assert PROXY_NAME in proxy_page and PROXY_PHONE in proxy_page
    looks = list(
        IssueReporterLook.objects.order_by("created_at").values_list("issue", "viewer")
    )
    assert looks == [
        (issue.pk, staff.pk),
        (issue.pk, staff.pk),
        (proxy_issue.pk, staff.pk),
    ]


def test_named_reports_show_their_reporter(roles, login, reporter):
    issue = IssueFactory(building=roles.building, reporter=reporter)
    page = login(roles.resident).get(issue.get_absolute_url()).content.decode()
    assert reporter.name in page


def test_the_reporter_sees_it_is_theirs(story, login):
    issue = story["issues"][0]
    response = login(story["user"]).get(issue.get_absolute_url())
    assert response.context["is_reporter"]
