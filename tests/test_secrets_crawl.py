"""Secrets hold against every role, staff and superusers included (issue 13).

With an anonymous report (with a reply from its reporter and a "me too"), an open secret
poll and a closed secret poll in the data, each role crawls the site: it follows every
link from its start pages (the admin index for staff), and also opens the known exports
and a list of admin URL tricks (lookups through the reporter, ordering, search, the audit
log, notifications). The crawl fails on any trace:

- a page part (table row, list item, card) that shows the anonymous issue and also the
  reporter's name, phone, room or the admin link to their resident or user row;
- any page whose filter through the reporter relation is answered (it must be refused);
- any per-option count of the open secret poll, on any page, export or admin screen.

Staff granted the dedicated permission see the reporter on the issue's audited admin
page, and nowhere else.
"""

import html
import io
import re
import zipfile
from collections import deque
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Permission
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from buildings.models import Household, Resident
from proposals.deliberation.polls import services as poll_services
from proposals.issues import services as issues
from proposals.models import Issue, PollOption
from tests.conftest import Roles
from tests.factories import (
    AccountResidentFactory,
    BuildingFactory,
    StaffFactory,
    UserFactory,
)
from tests.funds.factories import FundFactory
from tests.module_data import built_once
from tests.proposals.deliberation.factories import PollFactory

pytestmark = pytest.mark.django_db

NAME, PHONE, ROOM = "隐名者甲", "13987654321", "9C07"
TITLE = "有人半夜往楼下扔花盆"
# The open secret poll's counters: numbers that appear nowhere else by chance.
OPEN_COUNTS = {"和睦楼": 4817, "向阳楼": 2963, "同心楼": 1409}
REVEAL = "buildings.view_anonymous_reporter"
PAGES_PER_ROLE = 260
VARIANTS_PER_PATH = 5  # query-string variants of one path (filters, sorting, pages)
SKIP = re.compile(
    r"^/(static|media)/|logout|/i18n/|jsi18n|/delete/|/password/|_popup=|/admin/r/"
)
# Random tokens (IDS_AND_TOKENS, the money forms' one-time token: a UUID) may hold a count by chance,
# and so may row ids: in addresses (/admin/auth/group/1409/) and a list's choices (the
# permissions on the group form). Ids climb through a run, so any number is met sooner or
# later; a count shown as a form field's value is still read.
IDS_AND_TOKENS = re.compile(
    r'name="(?:csrfmiddlewaretoken|token)" value="[^"]*"'
    r'|<option value="\d+"'
    r"|(?<=/)\d+(?=/)"
)
PARTS = re.compile(r"<tr[\s>]|<li[\s>]|<article[\s>]|class=\"card[\s\"]")


@pytest.fixture(scope="module")
def shared(django_db_setup, django_db_blocker):
    """The roles, the world and the people who crawl, built once for the module (not
    once per role) and rolled back after it. Each test runs in its own transaction
    inside, so what one test changes (a reporter look, a poll's deadline) is gone
    before the next starts."""
    quiet = override_settings(LOUZU_NOTIFICATION_SENDERS=[])

    def build():
        roles = Roles(BuildingFactory())
        world = build_world(roles, Client())
        people = {role: person(roles, role) for role in ROLES}
        return {"roles": roles, "world": world, "people": people}

    with quiet:
        yield from built_once(django_db_blocker, build)


@pytest.fixture
def roles(shared):
    return shared["roles"]


@pytest.fixture
def world(shared):
    return shared["world"]


def build_world(roles, client):
    building = roles.building
    household = Household.objects.create(building=building, room=ROOM)
    reporter = AccountResidentFactory(
        user=UserFactory(name=NAME, phone=PHONE), household=household, name=NAME
    )
    client.force_login(reporter.user)  # through the views, as the audit log sees it
    client.post(
        reverse("proposals:issue-create", args=[building.pk]),
        {
            "category": "thrown_objects",
            "title": TITLE,
            "text": "凌晨一点，从楼上扔下一个花盆。",
            "location": "outside",
            "anonymous": "on",
        },
    )
    issue = Issue.objects.get(title=TITLE)
    supporter = AccountResidentFactory(household__building=building)
    issues.support_issue(issue=issue, resident=supporter)
    client.post(
        reverse("proposals:issue-comment", args=[building.pk, issue.pk]),
        {"text": "昨晚又扔了一次"},
    )
    client.force_login(roles.leader)
    client.post(
        reverse("proposals:issue-status", args=[building.pk, issue.pk]),
        {"to_status": "acknowledged", "reason": "已贴告示"},
    )
    client.logout()

    voters = [Resident.objects.get(user=roles.resident), reporter, supporter]
    FundFactory(building=building)
    open_poll = PollFactory(
        proposal__building=building, is_secret=True, labels=list(OPEN_COUNTS)
    )
    for voter, option in zip(voters, open_poll.options.all(), strict=True):
        poll_services.cast_ballot(poll=open_poll, option_id=option.pk, resident=voter)
    for option in open_poll.options.all():  # as if thousands had voted
        PollOption.objects.filter(pk=option.pk).update(
            secret_count=OPEN_COUNTS[option.label]
        )
    closed_poll = PollFactory(
        proposal__building=building, is_secret=True, labels=["绿化带", "车棚"]
    )
    first, second = closed_poll.options.all()
    for voter, option in zip(voters, [first, first, second], strict=True):
        poll_services.cast_ballot(poll=closed_poll, option_id=option.pk, resident=voter)
    type(closed_poll).objects.filter(pk=closed_poll.pk).update(
        closes_at=timezone.now() - timedelta(seconds=1)
    )
    poll_services.close_poll(poll=closed_poll, closed_by=roles.leader)
    assert Issue.objects.get(pk=issue.pk).reporter == reporter
    return {
        "issue": issue,
        "reporter": reporter,
        "open_poll": open_poll,
        "closed_poll": closed_poll,
    }


def staff_with(*, reveal: bool, community):
    """Branch staff of the community with every admin permission, with or without the
    revealing one."""
    staff = StaffFactory(communities=[community])
    permissions = Permission.objects.exclude(
        content_type__app_label="buildings", codename="view_anonymous_reporter"
    )
    staff.user_permissions.set(permissions)
    if reveal:
        staff.user_permissions.add(
            Permission.objects.get(codename="view_anonymous_reporter")
        )
    return staff


def person(roles, role):
    if role == "staff":
        return staff_with(reveal=False, community=roles.building.community)
    if role == "staff_reveal":
        return staff_with(reveal=True, community=roles.building.community)
    if role == "superuser":
        return StaffFactory(is_superuser=True)
    return roles.get(role)


def readable(response) -> str:
    """The text a reader gets, exports unpacked (an XLSX is a zip of XML)."""
    content_type = response.get("Content-Type", "")
    if "spreadsheetml" in content_type:
        with zipfile.ZipFile(io.BytesIO(response.content)) as book:
            return " ".join(
                book.read(name).decode()
                for name in book.namelist()
                if name.endswith(".xml")
            )
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def count_leaks(text: str) -> list[str]:
    found = []
    for count in OPEN_COUNTS.values():
        for shown in {str(count), f"{count:,}"}:
            if re.search(rf"(?<![\w.,]){re.escape(shown)}(?![\w])", text):
                found.append(shown)
    return found


def reporter_leaks(text: str, world) -> list[str]:
    """Reporter traces inside any page part that shows the anonymous issue."""
    reporter, issue = world["reporter"], world["issue"]
    issue_marks = [TITLE, f"/admin/proposals/issue/{issue.pk}/"]
    traces = [
        NAME,
        PHONE,
        PHONE[:3] + "****" + PHONE[-4:],
        ROOM,
        f"/admin/buildings/resident/{reporter.pk}/",
        f"/admin/buildings/user/{reporter.user_id}/",
        f"reporter={reporter.pk}",
    ]
    found = []
    for part in PARTS.split(text):
        if any(mark in part for mark in issue_marks):
            found += [trace for trace in traces if trace in part]
    return found


def start_urls(roles, world, role) -> list[str]:
    building = roles.building
    issue = world["issue"]
    urls = [
        "/",
        "/me/",
        reverse("buildings:notifications"),
        building.community.get_absolute_url(),
        building.get_absolute_url(),
        issue.get_absolute_url(),
        world["open_poll"].get_absolute_url(),
        world["closed_poll"].get_absolute_url(),
        reverse("proposals:issues", args=[building.pk]) + "?status=all",
        # Exports and personal pages.
        reverse("buildings:my-data"),
        reverse("funds:statement", args=[building.pk]),
        reverse("funds:statement-print", args=[building.pk]),
        reverse("funds:statement-csv", args=[building.pk]),
        reverse("funds:statement-xlsx", args=[building.pk]),
        reverse("proposals:poll-poster", args=[building.pk, world["closed_poll"].pk]),
    ]
    if role in {"staff", "staff_reveal", "superuser"}:
        urls += ["/admin/", *admin_tricks(world)]
    return urls


def admin_tricks(world) -> list[str]:
    """Admin URLs that would each single the reporter out if they were answered."""
    reporter, issue = world["reporter"], world["issue"]
    issues_url = reverse("admin:proposals_issue_changelist")
    return [
        *[f"{issues_url}?o={n}" for n in ["1", "-2", "5", "-5", "6.1", "7"]],
        f"{issues_url}?q={NAME}",
        f"{issues_url}?q={PHONE}",
        reverse("admin:proposals_issue_change", args=[issue.pk])
        + f"?_changelist_filters=reporter%3D{reporter.pk}",
        reverse("admin:proposals_issue_history", args=[issue.pk]),
        reverse("admin:auditlog_logentry_changelist") + f"?actor={reporter.user_id}",
        reverse("admin:auditlog_logentry_changelist") + f"?q={NAME}",
        reverse("admin:auditlog_logentry_changelist") + f"?q={TITLE}",
        reverse("admin:buildings_notification_changelist")
        + f"?recipient={reporter.user_id}",
        reverse("admin:buildings_notification_changelist") + "?kind=issue_followed",
        reverse("admin:proposals_issuecomment_changelist") + "?author__isnull=True",
        reverse("admin:proposals_poll_change", args=[world["open_poll"].pk]),
        reverse("admin:proposals_poll_change", args=[world["closed_poll"].pk]),
        reverse("admin:proposals_ballot_changelist")
        + f"?poll__id__exact={world['open_poll'].pk}",
        "/admin/autocomplete/?app_label=proposals&model_name=issue"
        "&field_name=reporter&term=" + NAME,
    ]


def refused_lookups(world) -> list[str]:
    """Filters through the reporter, from the issue's side and from the person's."""
    reporter, issue = world["reporter"], world["issue"]
    issues_url = reverse("admin:proposals_issue_changelist")
    residents_url = reverse("admin:buildings_resident_changelist")
    return [
        f"{issues_url}?reporter={reporter.pk}",
        f"{issues_url}?reporter__id={reporter.pk}",
        f"{issues_url}?reporter__id__exact={reporter.pk}",
        f"{issues_url}?reporter_id={reporter.pk}",
        f"{issues_url}?reporter__isnull=False",
        f"{issues_url}?reporter__user__phone__startswith=139876",
        f"{issues_url}?reporter__name={NAME}",
        f"{issues_url}?reporter__household__room={ROOM}",
        f"{residents_url}?reported_issues={issue.pk}",
        f"{residents_url}?reported_issues__id__exact={issue.pk}",
        f"{residents_url}?reported_issues__is_anonymous=1",
        f"{residents_url}?reported_issues__isnull=False",
        reverse("admin:buildings_user_changelist")
        + f"?memberships__reported_issues={issue.pk}",
        reverse("admin:buildings_household_changelist")
        + f"?residents__reported_issues={issue.pk}",
    ]


def links(text: str) -> list[str]:
    found = []
    for href in re.findall(r'href="([^"#]*)"', text):
        href = html.unescape(href)
        if href.startswith("/") and not SKIP.search(href):
            found.append(href)
    return found


def crawl(client, urls, world, audited_page, checked):
    """Breadth-first from the given URLs; returns the number of pages read."""
    queue, seen, variants, read = deque(urls), set(), {}, 0
    forced = set(urls)
    while queue and read < PAGES_PER_ROLE + len(forced):
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        path = urlsplit(url).path
        if "?" in url and url not in forced:
            variants[path] = variants.get(path, 0) + 1
            if variants[path] > VARIANTS_PER_PATH:
                continue
        response = client.get(url)
        assert response.status_code in (200, 302, 400, 403, 404, 405), url
        read += 1
        if response.status_code != 200:
            continue
        page = readable(response)
        text = IDS_AND_TOKENS.sub("", page)
        checked.append(url)
        assert not count_leaks(text), (url, count_leaks(text))
        if path != audited_page:
            assert not reporter_leaks(page, world), (url, reporter_leaks(page, world))
        if "html" in response.get("Content-Type", ""):
            queue.extend(link for link in links(page) if link not in seen)
    return read


# The longest crawls first (see tests/conftest.py: the workers start them early).
ROLES = [
    "staff",
    "staff_reveal",
    "superuser",
    "leader",
    "resident",
    "team",
    "outsider",
    "visitor",
]


@pytest.mark.parametrize("role", ROLES)
def test_no_role_finds_a_secret_anywhere(shared, world, roles, client, role):
    user = shared["people"][role]
    if user is not None:
        client.force_login(user)
    audited = None
    if role == "staff_reveal":
        audited = reverse("admin:proposals_issue_change", args=[world["issue"].pk])
    checked = []
    read = crawl(client, start_urls(roles, world, role), world, audited, checked)
    if role in {"resident", "team", "leader"}:
        assert read > 40 and world["issue"].get_absolute_url() in checked
    if role in {"staff", "staff_reveal", "superuser"}:
        assert read > 150
        change = reverse("admin:proposals_issue_change", args=[world["issue"].pk])
        assert change in checked  # the crawl did reach the anonymous issue
        for url in refused_lookups(world):
            response = client.get(url)
            assert response.status_code == 400, url
            assert not reporter_leaks(readable(response), world), url


def test_only_the_granted_see_the_reporter_on_the_audited_page(world, roles, client):
    change = reverse("admin:proposals_issue_change", args=[world["issue"].pk])
    for user, sees in [
        (staff_with(reveal=True, community=roles.building.community), True),
        (staff_with(reveal=False, community=roles.building.community), False),
        (StaffFactory(is_superuser=True), False),  # operating the site is not enough
    ]:
        client.force_login(user)
        page = client.get(change).content.decode()
        assert (NAME in page and PHONE in page) is sees
    assert world["issue"].reporter_looks.count() == 1


def test_secret_counts_show_in_the_admin_once_the_poll_has_ended(world, client):
    client.force_login(StaffFactory(is_superuser=True))
    open_page = client.get(
        reverse("admin:proposals_poll_change", args=[world["open_poll"].pk])
    ).content.decode()
    assert "和睦楼" in open_page and not count_leaks(open_page)
    closed_page = client.get(
        reverse("admin:proposals_poll_change", args=[world["closed_poll"].pk])
    ).content.decode()
    counts = re.findall(
        r'field-secret_votes">\s*<p>(\d+)</p>', closed_page.replace("\n", "")
    )
    assert sorted(counts) == ["1", "2"]


def test_the_closing_poll_shows_its_counts_after_the_deadline(world, client):
    poll = world["open_poll"]
    type(poll).objects.filter(pk=poll.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1),
        opens_at=timezone.now() - timedelta(days=1),
    )
    client.force_login(StaffFactory(is_superuser=True))
    page = client.get(reverse("admin:proposals_poll_change", args=[poll.pk]))
    assert "4817" in page.content.decode()
    # What the crawl leaves out of a page (ids and tokens) does not hide a count shown.
    assert "4817" in count_leaks(IDS_AND_TOKENS.sub("", page.content.decode()))
