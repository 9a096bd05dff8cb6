"""The rules behind the crawl in test_secrets_crawl (issue 13): every admin refuses a
lookup through an issue's reporter, and no notification pattern singles out an
anonymous reporter."""

import pytest
from django.contrib import admin
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.urls import reverse

from buildings.admin import reaches_secret
from buildings.models import Notification, Resident
from buildings.permissions import access_for
from proposals.issues import services as issues
from proposals.models import Issue, IssueReporterLook
from tests.factories import AccountResidentFactory, BuildingFactory, StaffFactory
from tests.module_data import roles_built_once

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


def secret_paths(model) -> list[str]:
    """Each one-step lookup on the model that is the reporter relation or its reverse,
    with the spellings a URL can use."""
    paths = []
    for field in model._meta.get_fields():
        if field.is_relation and reaches_secret(model, field.name):
            paths += [field.name, f"{field.name}__id", f"{field.name}__isnull"]
            paths += [f"{field.name}__id__exact", f"{field.name}__in"]
            attname = getattr(field, "attname", None)
            if attname and attname != field.name:
                paths.append(attname)
    return paths


REGISTERED = sorted(admin.site._registry.items(), key=lambda kv: kv[0]._meta.label)


def test_the_reporter_relation_is_secret_from_both_sides():
    assert reaches_secret(Issue, "reporter")
    assert reaches_secret(Issue, "reporter__user__phone__startswith")
    assert reaches_secret(Resident, "reported_issues__is_anonymous")
    assert not reaches_secret(Issue, "building__number")
    assert not reaches_secret(Issue, "entered_by")


@pytest.mark.parametrize(
    "model_admin", [a for _m, a in REGISTERED], ids=lambda a: str(a)
)
def test_no_admin_allows_a_lookup_through_the_reporter(model_admin):
    request = RequestFactory().get("/admin/")
    request.user = StaffFactory(is_superuser=True)
    for path in secret_paths(model_admin.model):
        assert not model_admin.lookup_allowed(path, "1", request), (model_admin, path)
    # Nor does any list column, filter, search field or ordering reach it.
    named = [
        *[f for f in model_admin.list_display if isinstance(f, str)],
        *[f for f in model_admin.list_filter if isinstance(f, str)],
        *[f.lstrip("^=@") for f in model_admin.search_fields],
        *[f.lstrip("-") for f in (model_admin.ordering or [])],
        *([model_admin.date_hierarchy] if model_admin.date_hierarchy else []),
    ]
    for name in named:
        assert not reaches_secret(model_admin.model, name), (model_admin, name)


def test_inlines_never_list_issues_by_reporter():
    for _model, model_admin in REGISTERED:
        for inline in model_admin.inlines:
            assert issubclass(inline, InlineModelAdmin)
            if inline.model is Issue:
                assert inline.fk_name != "reporter", model_admin


@pytest.fixture
def team_reporter(roles):
    """A team member who files an anonymous report."""
    return Resident.objects.get(user=roles.team)


def file_anonymously(roles, reporter):
    return issues.report_issue(
        building=roles.building,
        reporter=reporter,
        entered_by=reporter.user,
        category="thrown_objects",
        title="夜里有人扔酒瓶",
        text="",
        location="outside",
        anonymous=True,
    )


def recipients(kind):
    return set(
        Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True)
    )


def test_a_team_member_reporting_anonymously_is_told_like_the_rest_of_the_team(
    roles, team_reporter
):
    file_anonymously(roles, team_reporter)
    assert recipients("issue_new") == {roles.team.pk, roles.leader.pk}


def test_a_team_member_reporting_by_name_is_not_told_of_their_own_issue(
    roles, team_reporter
):
    issues.report_issue(
        building=roles.building,
        reporter=team_reporter,
        entered_by=roles.team,
        category="sanitation",
        title="楼道有异味",
        text="",
        location="lobby",
    )
    assert recipients("issue_new") == {roles.leader.pk}


def test_the_anonymous_reporters_not_fixed_reaches_the_whole_team(roles, team_reporter):
    issue = file_anonymously(roles, team_reporter)
    issues.change_issue_status(
        issue=issue,
        access=access_for(roles.leader, roles.building),
        actor=roles.leader,
        to_status="resolved",
        reason="已装监控",
    )
    issues.give_issue_feedback(
        issue=issue,
        access=access_for(roles.team, roles.building),
        author=roles.team,
        fixed=False,
        reason="还在扔",
        is_supporter=False,
    )
    assert recipients("issue_reopened") == {roles.team.pk, roles.leader.pk}


def test_an_anonymous_team_reporter_replies_as_the_reporter(roles, team_reporter):
    issue = file_anonymously(roles, team_reporter)
    Notification.objects.all().delete()
    issues.comment_on_issue(
        issue=issue,
        access=access_for(roles.team, roles.building),
        author=roles.team,
        text="昨晚又扔了",
        is_supporter=False,
    )
    issue.refresh_from_db()
    assert issue.first_response_at is None  # not the team's answer
    assert issue.comments.get().author_role == "reporter"
    assert recipients("issue_comment") == {roles.team.pk, roles.leader.pk}


def test_the_admin_never_lists_the_anonymous_reporters_own_message(
    roles, login, team_reporter
):
    issue = file_anonymously(roles, team_reporter)
    supporter = Resident.objects.get(user=roles.resident)
    issues.support_issue(issue=issue, resident=supporter)
    issues.change_issue_status(
        issue=issue,
        access=access_for(roles.leader, roles.building),
        actor=roles.leader,
        to_status="acknowledged",
    )
    followed = Notification.objects.get(kind=issues.FOLLOWED_KIND)
    assert followed.recipient == roles.team  # it was sent
    client = login(StaffFactory(is_superuser=True))
    changelist = reverse("admin:buildings_notification_changelist")
    shown = client.get(changelist).context["cl"].result_list
    assert followed not in shown and shown  # the supporters' messages are listed
    assert (
        client.get(f"{changelist}?kind={issues.FOLLOWED_KIND}")
        .context["cl"]
        .result_count
        == 0
    )
    page = reverse("admin:buildings_notification_change", args=[followed.pk])
    assert client.get(page).status_code == 302  # "does not exist": back to the list


def test_deleting_an_anonymous_reporter_shows_none_of_their_unlisted_messages(
    roles, login
):
    """The delete page lists what would go with a person: not the messages the admin
    never lists. "Messages: cannot be deleted" for someone whose listed messages are
    none would say they get the anonymous reporter's message."""
    reporter = AccountResidentFactory(household__building=roles.building)
    file_anonymously(roles, reporter)
    issue = Issue.objects.get(reporter=reporter)
    issues.change_issue_status(
        issue=issue,
        access=access_for(roles.leader, roles.building),
        actor=roles.leader,
        to_status="acknowledged",
    )
    assert Notification.objects.filter(
        recipient=reporter.user, kind=issues.FOLLOWED_KIND
    ).exists()
    neighbour = AccountResidentFactory(household__building=roles.building)
    client = login(StaffFactory(is_superuser=True))

    def delete_page(user):
        response = client.get(reverse("admin:buildings_user_delete", args=[user.pk]))
        assert response.status_code == 200
        return response.context

    theirs, others = delete_page(reporter.user), delete_page(neighbour.user)
    assert theirs["perms_lacking"] == others["perms_lacking"] == set()
    assert list(theirs["model_count"]) == list(others["model_count"])
    assert "/admin/buildings/notification/" not in str(theirs["deleted_objects"])
    # A message the admin lists is still listed (and still kept from deletion).
    Notification.objects.create(
        recipient=neighbour.user, kind="announcement", text="停水"
    )
    assert delete_page(neighbour.user)["perms_lacking"]


def test_a_row_kept_from_the_staff_member_still_stops_a_deletion_by_its_kind_only(
    roles, login
):
    """Staff of one community delete a person whose look at an anonymous reporter was
    in another community: the page says a look stops it, not whose or where."""
    issue = file_anonymously(roles, Resident.objects.get(user=roles.resident))
    elsewhere = BuildingFactory()
    looker = StaffFactory(communities=[roles.building.community])
    AccountResidentFactory(user=looker, household__building=elsewhere)
    issues.record_reporter_look(issue=issue, viewer=looker)
    staff = StaffFactory(communities=[elsewhere.community])
    staff.user_permissions.set(
        Permission.objects.filter(content_type__app_label="buildings")
    )
    page = login(staff).get(reverse("admin:buildings_user_delete", args=[looker.pk]))
    assert page.status_code == 200
    assert [str(row) for row in page.context["protected"]] == [
        str(IssueReporterLook._meta.verbose_name).capitalize()
    ]
    assert issue.title not in page.content.decode()


def test_the_development_console_never_names_the_anonymous_reporters_message(
    roles, settings, capsys, django_capture_on_commit_callbacks
):
    """The console sender prints every message as it goes (development, seed_demo):
    printed with its recipient's number right after the supporters' message about the
    issue, the reporter's own message would name them."""
    settings.LOUZU_NOTIFICATION_SENDERS = ["buildings.notify.console_sender"]
    reporter = AccountResidentFactory(household__building=roles.building)
    issue = file_anonymously(roles, reporter)
    issues.support_issue(
        issue=issue, resident=Resident.objects.get(user=roles.resident)
    )
    capsys.readouterr()
    with django_capture_on_commit_callbacks(execute=True):
        issues.change_issue_status(
            issue=issue,
            access=access_for(roles.leader, roles.building),
            actor=roles.leader,
            to_status="acknowledged",
        )
    printed = capsys.readouterr().out
    assert roles.resident.masked_phone in printed  # the supporter's message is shown
    assert "?mine=on" in printed  # and so is the reporter's, without its recipient
    assert reporter.user.masked_phone not in printed
