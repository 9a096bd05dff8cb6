"""Reporting, "me too", the timeline, "is it fixed?", reports on behalf, photos, filters."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from buildings.models import Notification, ProxyAct, Resident
from buildings.permissions import access_for
from proposals.issues import services
from proposals.models import Issue, IssueEvent, IssuePhoto, IssueSupport
from tests.factories import AccountResidentFactory, ResidentFactory
from tests.module_data import roles_built_once
from tests.proposals.factories import IssueFactory, IssueSupportFactory, jpeg_bytes

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


def photo(name="a.jpg", **kwargs):
    return SimpleUploadedFile(name, jpeg_bytes(**kwargs), content_type="image/jpeg")


def test_resident_reports_with_photos_and_leaders_are_told(roles, login):
    building = roles.building
    response = login(roles.resident).post(
        reverse("proposals:issue-create", args=[building.pk]),
        {
            "category": "corridor_clutter",
            "title": "五楼走道堆满纸箱",
            "text": "消防通道被堵",
            "location": "corridor",
            "floor": "5",
            "photos": [photo("1.jpg"), photo("2.png")],
        },
    )
    issue = Issue.objects.get(title="五楼走道堆满纸箱")
    assert (
        response.status_code == 302 and response["Location"] == issue.get_absolute_url()
    )
    assert (
        issue.reporter.user == roles.resident
        and issue.entered_by is None
        and not issue.is_anonymous
    )
    assert issue.place == "5楼走道"
    assert issue.photos.filter(kind="before").count() == 2
    assert all(
        p.image.name.startswith("issues/") and p.image.name.endswith(".jpg")
        for p in issue.photos.all()
    )
    event = issue.events.get()
    assert (event.kind, event.actor, event.actor_role) == (
        "reported",
        roles.resident,
        "reporter",
    )
    told = set(
        Notification.objects.filter(kind="issue_new").values_list(
            "recipient", flat=True
        )
    )
    assert told == {roles.leader.pk, roles.team.pk}


def test_similar_open_issues_are_shown_before_reporting(roles, login):
    IssueFactory(
        building=roles.building, category="thrown_objects", title="有人从楼上扔垃圾"
    )
    IssueFactory(
        building=roles.building,
        category="thrown_objects",
        title="已解决的旧事",
        status="declined",
    )
    IssueFactory(category="thrown_objects", title="别的楼的事")
    url = reverse("proposals:issue-create", args=[roles.building.pk])
    page = login(roles.resident).get(url + "?category=thrown_objects").content.decode()
    assert "有人从楼上扔垃圾" in page
    assert "已解决的旧事" not in page and "别的楼的事" not in page
    picker = login(roles.resident).get(url).content.decode()
    assert "?category=thrown_objects" in picker


def test_leader_reports_for_a_proxy_resident(roles, login):
    building = roles.building
    granny = ResidentFactory(
        household__building=building, name="钱奶奶", registered_by=roles.leader
    )
    login(roles.leader).post(
        reverse("proposals:issue-create", args=[building.pk]),
        {
            "category": "facilities",
            "title": "楼道灯不亮",
            "location": "stairwell",
            "on_behalf_of": granny.pk,
        },
    )
    issue = Issue.objects.get(title="楼道灯不亮")
    assert issue.reporter == granny and issue.entered_by == roles.leader
    event = issue.events.get()
    assert (
        event.on_behalf and event.actor == roles.leader and event.actor_role == "leader"
    )
    act = ProxyAct.objects.get(resident=granny)
    assert act.actor == roles.leader and issue.get_absolute_url() == act.link
    page = login(roles.resident).get(issue.get_absolute_url()).content.decode()
    assert "钱奶奶" in page  # not anonymous: the reporter is named


def test_resident_cannot_report_on_behalf(roles, login):
    other = AccountResidentFactory(household__building=roles.building)
    login(roles.resident).post(
        reverse("proposals:issue-create", args=[roles.building.pk]),
        {
            "category": "other",
            "title": "替别人报",
            "location": "lobby",
            "on_behalf_of": other.pk,
        },
    )
    assert Issue.objects.get(title="替别人报").reporter.user == roles.resident


def test_leader_cannot_report_for_a_resident_of_another_building(roles, login):
    stranger = AccountResidentFactory()
    response = login(roles.leader).post(
        reverse("proposals:issue-create", args=[roles.building.pk]),
        {
            "category": "other",
            "title": "外楼的人",
            "location": "lobby",
            "on_behalf_of": stranger.pk,
        },
    )
    assert response.status_code == 400
    assert not Issue.objects.filter(title="外楼的人").exists()


def test_me_too_counts_once_and_can_be_withdrawn(roles, login, issue):
    client = login(roles.resident)
    url = reverse("proposals:issue-support", args=[roles.building.pk, issue.pk])
    client.post(url)
    response = client.post(url, follow=True)
    assert "已经" in response.content.decode()
    assert IssueSupport.objects.filter(issue=issue).count() == 1
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "1 位邻居也遇到" in page
    client.post(
        reverse("proposals:issue-unsupport", args=[roles.building.pk, issue.pk])
    )
    assert not IssueSupport.objects.filter(issue=issue).exists()


def test_reporter_cannot_me_too_own_issue_and_closed_issue_takes_none(
    roles, issue, reporter
):
    with pytest.raises(ValidationError):
        services.support_issue(issue=issue, resident=reporter)
    closed = IssueFactory(building=roles.building, status="declined")
    with pytest.raises(ValidationError):
        services.support_issue(
            issue=closed, resident=Resident.objects.get(user=roles.resident)
        )
    assert not IssueSupport.objects.exists()


def test_resolve_with_after_photos_asks_is_it_fixed(roles, login, issue, reporter):
    supporter = IssueSupportFactory(issue=issue).resident
    response = login(roles.leader).post(
        reverse("proposals:issue-status", args=[roles.building.pk, issue.pk]),
        {
            "to_status": "resolved",
            "reason": "换了新门锁",
            "after_photos": [photo("after.jpg", color="green")],
        },
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.status == "resolved" and issue.resolved_at is not None
    assert issue.photos.filter(kind=IssuePhoto.Kind.AFTER).count() == 1
    asked = set(
        Notification.objects.filter(kind="issue_fixed_check").values_list(
            "recipient", flat=True
        )
    )
    assert asked == {reporter.user_id, supporter.user_id}
    page = login(reporter.user).get(issue.get_absolute_url()).content.decode()
    assert "真的修好了吗" in page and "before-after" in page


def test_not_fixed_reopens_with_reason_on_timeline(roles, login, issue, reporter):
    access = access_for(roles.leader, roles.building)
    services.change_issue_status(
        issue=issue, access=access, actor=roles.leader, to_status="resolved"
    )
    response = login(reporter.user).post(
        reverse("proposals:issue-feedback", args=[roles.building.pk, issue.pk]),
        {"fixed": "no", "reason": "门还是关不上"},
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert (
        issue.status == "in_progress"
        and issue.resolved_at is None
        and issue.satisfaction == "not_satisfied"
    )
    event = issue.events.get(kind="not_fixed")
    assert event.reason == "门还是关不上" and event.actor_role == "reporter"
    assert Notification.objects.filter(
        kind="issue_reopened", recipient=roles.leader
    ).exists()
    assert (
        "门还是关不上"
        in login(roles.resident).get(issue.get_absolute_url()).content.decode()
    )


def test_not_fixed_needs_a_reason_and_fixed_only_once(roles, issue, reporter):
    access = access_for(roles.leader, roles.building)
    services.change_issue_status(
        issue=issue, access=access, actor=roles.leader, to_status="resolved"
    )
    reporter_access = access_for(reporter.user, roles.building)
    with pytest.raises(ValidationError):
        services.give_issue_feedback(
            issue=issue,
            access=reporter_access,
            author=reporter.user,
            fixed=False,
            is_supporter=False,
        )
    services.give_issue_feedback(
        issue=issue,
        access=reporter_access,
        author=reporter.user,
        fixed=True,
        is_supporter=False,
    )
    issue.refresh_from_db()
    assert issue.status == "resolved" and issue.satisfaction == "satisfied"
    with pytest.raises(ValidationError):
        services.give_issue_feedback(
            issue=issue,
            access=reporter_access,
            author=reporter.user,
            fixed=False,
            reason="x",
            is_supporter=False,
        )
    assert issue.events.filter(kind__in=["fixed", "not_fixed"]).count() == 1


def test_supporter_may_say_not_fixed(roles, login, issue):
    supporter = IssueSupportFactory(issue=issue).resident
    services.change_issue_status(
        issue=issue,
        access=access_for(roles.leader, roles.building),
        actor=roles.leader,
        to_status="resolved",
    )
    login(supporter.user).post(
        reverse("proposals:issue-feedback", args=[roles.building.pk, issue.pk]),
        {"fixed": "no", "reason": "还在漏"},
    )
    issue.refresh_from_db()
    assert issue.status == "in_progress"
    assert issue.events.get(kind="not_fixed").actor_role == "supporter"


def test_timeline_shows_who_and_why_and_replies(roles, login, issue):
    access = access_for(roles.leader, roles.building)
    services.change_issue_status(
        issue=issue,
        access=access,
        actor=roles.leader,
        to_status="declined",
        reason="属于物业维修范围,已转物业",
    )
    comment = services.comment_on_issue(
        issue=issue,
        access=access,
        author=roles.leader,
        text="电话 12345 已报",
        is_supporter=False,
    )
    login(issue.reporter.user).post(
        reverse("proposals:issue-comment", args=[roles.building.pk, issue.pk]),
        {"text": "谢谢", "reply_to": comment.pk},
    )
    page = login(roles.resident).get(issue.get_absolute_url()).content.decode()
    assert (
        roles.leader.name in page
        and "属于物业维修范围" in page
        and "电话 12345 已报" in page
        and "谢谢" in page
    )
    assert issue.comments.get(text="谢谢").reply_to == comment


def test_reply_to_a_comment_of_another_issue_is_refused(roles, login, issue):
    other = IssueFactory(building=roles.building)
    foreign = services.comment_on_issue(
        issue=other,
        access=access_for(roles.leader, roles.building),
        author=roles.leader,
        text="x",
        is_supporter=False,
    )
    response = login(roles.leader).post(
        reverse("proposals:issue-comment", args=[roles.building.pk, issue.pk]),
        {"text": "y", "reply_to": foreign.pk},
    )
    assert response.status_code == 302
    assert not issue.comments.exists()


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("", {"新的", "旧的", "在办"}),
        ("?status=all", {"新的", "旧的", "在办", "办完"}),
        ("?status=resolved", {"办完"}),
        ("?status=in_progress", {"在办"}),
        ("?category=greening", {"旧的"}),
        ("?status=bogus&category=nonsense&sort=evil", {"新的", "旧的", "在办"}),
    ],
)
def test_list_filters(roles, login, query, titles):
    b = roles.building
    IssueFactory(building=b, title="新的")
    IssueFactory(building=b, title="旧的", category="greening")
    IssueFactory(building=b, title="在办", status="in_progress")
    IssueFactory(
        building=b, title="办完", status="resolved", resolved_at=timezone.now()
    )
    response = login(roles.resident).get(
        reverse("proposals:issues", args=[b.pk]) + query
    )
    assert response.status_code == 200
    shown = {i.title for i in response.context["page"]}
    assert shown == titles


def test_sort_by_support_and_mine(roles, login):
    b = roles.building
    quiet = IssueFactory(building=b, title="少")
    loud = IssueFactory(building=b, title="多")
    for _i in range(3):
        IssueSupportFactory(issue=loud)
    me = Resident.objects.get(user=roles.resident)
    IssueSupport.objects.create(issue=quiet, resident=me)
    client = login(roles.resident)
    url = reverse("proposals:issues", args=[b.pk])
    assert [i.title for i in client.get(url + "?sort=support").context["page"]] == [
        "多",
        "少",
    ]
    assert [i.title for i in client.get(url + "?mine=on").context["page"]] == ["少"]


def test_index_hub_and_print_list(roles, login):
    b = roles.building
    IssueFactory(building=b, title="电瓶车充电要不要统一管理", status="deliberating")
    popular = IssueFactory(building=b, title="大堂需要装监控")
    IssueSupportFactory(issue=popular)
    IssueFactory(
        building=b, title="早就办完", status="resolved", resolved_at=timezone.now()
    )
    hub = (
        login(roles.resident)
        .get(reverse("proposals:issues-hub", args=[b.pk]))
        .content.decode()
    )
    assert "电瓶车充电要不要统一管理" in hub and "大堂需要装监控" in hub
    assert reverse("proposals:issue-print", args=[b.pk]) in hub
    sheet = (
        login(roles.resident)
        .get(reverse("proposals:issue-print", args=[b.pk]))
        .content.decode()
    )
    assert (
        "电瓶车充电要不要统一管理" in sheet
        and "大堂需要装监控" in sheet
        and "早就办完" not in sheet
    )
    assert "<svg" in sheet and b.number in sheet


def test_timeline_event_is_backward_flag(roles, issue):
    event = IssueEvent.objects.create(
        issue=issue,
        kind="status",
        from_status="resolved",
        to_status="in_progress",
        actor_role="leader",
    )
    assert event.is_backward
