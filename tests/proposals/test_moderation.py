"""Leaders tidy the building's reports: re-categorise, merge a duplicate, hide abuse.
Anonymous reporters stay hidden through all of it."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from buildings.models import Notification
from proposals.models import Issue, IssueEvent, IssueSupport
from tests.conftest import ALL_ROLES
from tests.factories import AccountResidentFactory
from tests.module_data import roles_built_once
from tests.proposals.factories import IssueFactory, IssueSupportFactory

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()

MANAGERS = {"leader", "staff"}


def url(name, issue):
    return reverse(f"proposals:{name}", args=[issue.building_id, issue.pk])


def expected(role, ok=302):
    if role in MANAGERS:
        return ok
    if role == "visitor":
        return 302
    if role in {"outsider", "pending"}:
        return 404
    return 403


def neighbour(building):
    return AccountResidentFactory(household__building=building)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_may_open_the_page_and_recategorise(roles, login, role):
    issue = IssueFactory(building=roles.building)
    client = login(roles.get(role))
    assert client.get(url("issue-manage", issue)).status_code == expected(role, 200)
    response = client.post(
        url("issue-recategorise", issue), {"category": "safety", "reason": "有安全隐患"}
    )
    assert response.status_code == expected(role)
    issue.refresh_from_db()
    assert (issue.category == "safety") is (role in MANAGERS)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_may_merge(roles, login, role):
    duplicate = IssueFactory(building=roles.building)
    original = IssueFactory(building=roles.building)
    response = login(roles.get(role)).post(
        url("issue-merge", duplicate), {"into": original.pk, "reason": "同一扇门"}
    )
    assert response.status_code == expected(role)
    duplicate.refresh_from_db()
    assert (duplicate.merged_into_id == original.pk) is (role in MANAGERS)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_may_hide(roles, login, role):
    issue = IssueFactory(building=roles.building)
    response = login(roles.get(role)).post(
        url("issue-hide", issue), {"reason": "辱骂邻居"}
    )
    assert response.status_code == expected(role)
    issue.refresh_from_db()
    assert issue.is_hidden is (role in MANAGERS)


def test_recategorising_is_on_the_public_timeline(roles, login):
    issue = IssueFactory(building=roles.building)
    login(roles.leader).post(
        url("issue-recategorise", issue), {"category": "safety", "reason": "有安全隐患"}
    )
    event = issue.events.get(kind=IssueEvent.Kind.RECATEGORISED)
    assert event.reason == "有安全隐患"
    assert (event.from_category, event.to_category) == ("facilities", "safety")
    page = login(roles.resident).get(url("issue", issue)).content.decode()
    assert "有安全隐患" in page and "公共设施（如大堂铁门） → 安全隐患" in page


def read(client, issue, language):
    client.cookies["django_language"] = language
    return client.get(url("issue", issue)).content.decode()


@pytest.mark.parametrize("leader_language", ["en", "zh-hans"])
def test_a_category_change_reads_in_each_readers_language(
    roles, login, leader_language
):
    """Whatever language the leader works in, the timeline names both categories in
    the reader's."""
    issue = IssueFactory(building=roles.building)
    leader = login(roles.leader)
    leader.cookies["django_language"] = leader_language
    leader.post(url("issue-recategorise", issue), {"category": "safety"})
    resident = login(roles.resident)
    english = read(resident, issue, "en")
    assert "Public facilities (e.g. the lobby iron door) → Safety hazard" in english
    assert "安全隐患" not in english
    chinese = read(resident, issue, "zh-hans")
    assert "公共设施（如大堂铁门） → 安全隐患" in chinese
    assert "Safety hazard" not in chinese and "Public facilities" not in chinese


def test_merge_and_hide_notices_read_in_each_readers_language(roles, login):
    """A leader working in English merges and hides; neighbours read the notices in
    their own language (the message is kept as its id and values)."""
    from django.utils import translation

    original = IssueFactory(building=roles.building, title="大堂铁门关不上")
    duplicate = IssueFactory(building=roles.building, title="铁门又坏了")
    abusive = IssueFactory(building=roles.building, title="骂人")
    leader = login(roles.leader)
    leader.cookies["django_language"] = "en"
    leader.post(url("issue-merge", duplicate), {"into": original.pk, "reason": "同"})
    leader.post(url("issue-hide", abusive), {"reason": "辱骂邻居"})
    merged = Notification.objects.get(recipient=duplicate.reporter.user)
    hidden = Notification.objects.get(recipient=abusive.reporter.user)
    for notice, chinese, english in [
        (merged, "已合并到", "was merged into"),
        (hidden, "已被楼组长隐藏", "was hidden by the building leader"),
    ]:
        assert notice.message is not None
        with translation.override("zh-hans"):
            assert chinese in notice.body and english not in notice.body
        with translation.override("en"):
            assert english in notice.body and chinese not in notice.body


@pytest.mark.parametrize("category", ["", "nonsense", "<script>"])
def test_a_bad_category_changes_nothing(roles, login, category):
    issue = IssueFactory(building=roles.building)
    login(roles.leader).post(url("issue-recategorise", issue), {"category": category})
    issue.refresh_from_db()
    assert issue.category == "facilities"
    assert not issue.events.filter(kind=IssueEvent.Kind.RECATEGORISED).exists()


def test_merge_carries_supporters_once_and_shows_where_it_went(roles, login):
    original = IssueFactory(building=roles.building, title="大堂铁门关不上")
    duplicate = IssueFactory(building=roles.building, title="铁门又坏了")
    both, only_duplicate = neighbour(roles.building), neighbour(roles.building)
    IssueSupportFactory(issue=original, resident=both)
    IssueSupportFactory(issue=duplicate, resident=both)
    IssueSupportFactory(issue=duplicate, resident=only_duplicate)
    IssueSupportFactory(issue=duplicate, resident=original.reporter)
    login(roles.leader).post(
        url("issue-merge", duplicate), {"into": original.pk, "reason": "同一扇门"}
    )
    supporters = set(
        IssueSupport.objects.filter(issue=original).values_list(
            "resident_id", flat=True
        )
    )
    # both once, the duplicate's supporter and its (named) reporter; never the
    # original's own named reporter
    assert supporters == {both.pk, only_duplicate.pk, duplicate.reporter_id}
    assert not IssueSupport.objects.filter(issue=duplicate).exists()
    duplicate.refresh_from_db()
    assert not duplicate.is_open
    assert duplicate not in Issue.objects.open()
    page = login(roles.resident).get(url("issue", duplicate)).content.decode()
    assert "大堂铁门关不上" in page and url("issue", original) in page
    assert "同一扇门" in page
    original_page = login(roles.resident).get(url("issue", original)).content.decode()
    assert "铁门又坏了" in original_page
    assert Notification.objects.filter(
        recipient=only_duplicate.user, text__contains="大堂铁门关不上"
    ).exists()
    listing = login(roles.resident).get(
        reverse("proposals:issues", args=[roles.building.pk])
    )
    assert "铁门又坏了" not in listing.content.decode()


def test_merge_keeps_anonymous_reporters_anonymous(roles, login):
    """The anonymous duplicate's reporter is not turned into a named supporter, and the
    anonymous original's reporter moves like any neighbour: nothing singles them out."""
    original = IssueFactory(building=roles.building, anonymous=True)
    duplicate = IssueFactory(building=roles.building, anonymous=True)
    IssueSupportFactory(issue=duplicate, resident=original.reporter)
    login(roles.leader).post(
        url("issue-merge", duplicate), {"into": original.pk, "reason": "重复"}
    )
    supporters = set(
        IssueSupport.objects.filter(issue=original).values_list(
            "resident_id", flat=True
        )
    )
    assert duplicate.reporter_id not in supporters
    assert supporters == {original.reporter_id}
    for issue in (original, duplicate):
        for role in ("resident", "team", "leader", "staff"):
            page = login(roles.get(role)).get(url("issue", issue)).content.decode()
            assert issue.reporter.name not in page
    logged = " ".join(LogEntry.objects.values_list("changes_text", flat=True))
    assert duplicate.reporter.name not in logged
    # the anonymous duplicate's reporter hears only the message that names nothing
    told = Notification.objects.filter(recipient=duplicate.reporter.user)
    assert [n.kind for n in told] == ["issue_followed"]


def test_a_named_duplicate_of_ones_own_anonymous_report_moves_like_anyones(
    roles, login
):
    """Someone reports anonymously, then again by name: merged, their named report
    becomes a "me too" on the anonymous one like anyone's would. Leaving it out would
    tell the leader (and the "me too" count) who filed the anonymous report."""
    original = IssueFactory(building=roles.building, anonymous=True)
    duplicate = IssueFactory(building=roles.building, reporter=original.reporter)
    login(roles.leader).post(
        url("issue-merge", duplicate), {"into": original.pk, "reason": "重复"}
    )
    supporters = set(
        IssueSupport.objects.filter(issue=original).values_list(
            "resident_id", flat=True
        )
    )
    assert supporters == {original.reporter_id}


@pytest.mark.parametrize("target", ["self", "other_building", "merged", "hidden", "x"])
def test_bad_merges_change_nothing(roles, login, target):
    duplicate = IssueFactory(building=roles.building)
    into = {
        "self": lambda: duplicate.pk,
        "other_building": lambda: IssueFactory().pk,
        "merged": lambda: (
            IssueFactory(
                building=roles.building,
                merged_into=IssueFactory(building=roles.building),
            ).pk
        ),
        "hidden": lambda: (
            IssueFactory(building=roles.building, hidden_at="2026-01-01T00:00Z").pk
        ),
        "x": lambda: "x",
    }[target]()
    response = login(roles.leader).post(
        url("issue-merge", duplicate), {"into": into, "reason": "重复"}
    )
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id is None


def test_hidden_report_is_gone_for_residents_and_kept_for_staff(
    roles, login, admin_client
):
    issue = IssueFactory(building=roles.building, title="骂人的帖子")
    supporter = neighbour(roles.building)
    IssueSupportFactory(issue=issue, resident=supporter)
    login(roles.leader).post(url("issue-hide", issue), {"reason": "辱骂邻居"})
    for role in ("resident", "team"):
        assert login(roles.get(role)).get(url("issue", issue)).status_code == 404
    assert login(supporter.user).get(url("issue", issue)).status_code == 404
    listing = login(roles.resident).get(
        reverse("proposals:issues", args=[roles.building.pk])
    )
    assert "骂人的帖子" not in listing.content.decode()
    # its reporter still finds it, with the reason, and was told
    reporter = login(issue.reporter.user)
    page = reporter.get(url("issue", issue)).content.decode()
    assert "辱骂邻居" in page
    assert Notification.objects.filter(
        recipient=issue.reporter.user, text__contains="辱骂邻居"
    ).exists()
    for role in ("leader", "staff"):
        assert login(roles.get(role)).get(url("issue", issue)).status_code == 200
    admin_page = admin_client.get(
        reverse("admin:proposals_issue_change", args=[issue.pk])
    )
    assert "辱骂邻居" in admin_page.content.decode()
    # nothing more can be done to it
    login(roles.leader).post(url("issue-recategorise", issue), {"category": "safety"})
    issue.refresh_from_db()
    assert issue.category == "facilities"


@pytest.mark.parametrize("reason", ["", " ", "长" * 301])
def test_hiding_needs_a_reason(roles, login, reason):
    issue = IssueFactory(building=roles.building)
    login(roles.leader).post(url("issue-hide", issue), {"reason": reason})
    issue.refresh_from_db()
    assert not issue.is_hidden


def test_manage_page_queries_are_bounded(roles, login, django_assert_max_num_queries):
    issue = IssueFactory(building=roles.building)
    for _ in range(30):
        IssueFactory(building=roles.building)
    client = login(roles.leader)
    with django_assert_max_num_queries(12):
        response = client.get(url("issue-manage", issue))
    assert response.status_code == 200


def test_earlier_category_changes_kept_as_words_become_choices(roles):
    """Events written before the categories were kept as choices: the migration reads
    the words in either language and keeps only the leader's reason as words."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("proposals.migrations.0009_issue_event_categories")
    issue = IssueFactory(building=roles.building)
    old = [
        ("Public facilities (e.g. the lobby iron door) → Safety hazard · 漏电", "漏电"),
        ("环境卫生 → 绿化", ""),
        ("某个旧分类 → 绿化", "某个旧分类 → 绿化"),  # unknown words: left as they were
    ]
    events = [
        IssueEvent.objects.create(
            issue=issue, kind="recategorised", actor_role="leader", reason=reason
        )
        for reason, _ in old
    ]
    migration.categories_from_words(apps, None)
    for event, (_, reason) in zip(events, old, strict=True):
        event.refresh_from_db()
        assert event.reason == reason
    assert [(e.from_category, e.to_category) for e in events] == [
        ("facilities", "safety"),
        ("sanitation", "greening"),
        ("", ""),
    ]
