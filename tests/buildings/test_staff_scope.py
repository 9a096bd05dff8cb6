"""Staff see and act only where they answer for: their communities (a staff post), every
community of their town (a town post); a superuser sees all. In the app, the dashboards,
escalation, exports and the admin."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from buildings.models import Community, Notification, StaffPost
from buildings.permissions import staff_by_community, staff_community_ids
from dashboard import figures as dashboard_figures
from proposals.issues.services import escalate_overdue_issues
from tests.conftest import STAFF_ROLES
from tests.dashboard.test_dashboard import populate
from tests.factories import (
    AccountResidentFactory,
    BuildingFactory,
    CommunityFactory,
    StaffFactory,
    TalentFactory,
)
from tests.funds.factories import ready_fund
from tests.module_data import roles_built_once
from tests.proposals.factories import IssueFactory

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()

# Building pages of every kind a staff member uses: the building, the leader's to-do,
# the overdue list, the fund statement and its exports.
STAFF_PAGES = [
    "buildings:detail",
    "buildings:todo",
    "buildings:residents",
    "proposals:issues-overdue",
    "funds:statement",
    "funds:statement-csv",
    "funds:statement-xlsx",
]
SEES = {"staff": True, "town_staff": True, "other_staff": False}


@pytest.mark.parametrize("role", STAFF_ROLES)
@pytest.mark.parametrize("name", STAFF_PAGES)
def test_staff_pages_only_in_their_communities(roles, login, role, name):
    ready_fund(roles.building)
    response = login(roles.get(role)).get(reverse(name, args=[roles.building.pk]))
    assert response.status_code == (200 if SEES[role] else 404)


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_staff_act_only_in_their_communities(roles, login, role):
    from buildings.models import Resident

    applicant = Resident.objects.get(user=roles.pending)
    url = reverse(
        "buildings:decide-join", args=[roles.building.pk, applicant.pk, "approve"]
    )
    response = login(roles.get(role)).post(url)
    applicant.refresh_from_db()
    if SEES[role]:
        assert response.status_code == 302
        assert applicant.status == Resident.Status.APPROVED
    else:
        assert response.status_code == 404
        assert applicant.status == Resident.Status.PENDING


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_community_announcement_only_by_its_staff(roles, login, role):
    community = roles.building.community
    url = reverse("buildings:community-announcement-create", args=[community.pk])
    response = login(roles.get(role)).post(url, {"title": "停水通知", "body": "周三"})
    posted = community.announcements.filter(title="停水通知").exists()
    assert posted is SEES[role]
    assert response.status_code == (302 if SEES[role] else 403)


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_staff_only_talents_only_for_their_staff(roles, login, role):
    TalentFactory(
        resident__household__building=roles.building,
        resident__talent_visibility="community",
        skill__name="法律咨询",
    )
    page = login(roles.get(role)).get(roles.building.community.get_absolute_url())
    assert ("法律咨询" in page.content.decode()) is SEES[role]


@pytest.mark.parametrize("role", [*STAFF_ROLES, "superuser", "resident"])
def test_community_dashboard_only_for_its_staff(roles, login, role):
    user = StaffFactory(is_superuser=True) if role == "superuser" else roles.get(role)
    url = reverse("dashboard:community", args=[roles.building.community_id])
    response = login(user).get(url)
    allowed = SEES.get(role, role == "superuser")
    assert response.status_code == (200 if allowed else 403)


def test_dashboard_home_lists_only_their_communities(roles, login):
    second = CommunityFactory(
        town=roles.building.community.town, name="宝欣苑第二居民区"
    )
    page = login(roles.town_staff).get(reverse("dashboard:home")).content.decode()
    assert roles.building.community.name in page and second.name in page
    assert "月浦镇" not in page  # the other town's community is not theirs
    assert reverse("dashboard:town", args=[second.town_id]) in page
    response = login(roles.staff).get(reverse("dashboard:home"))
    assert response.status_code == 302  # one community: straight to it


@pytest.mark.parametrize("role", [*STAFF_ROLES, "superuser", "resident", "visitor"])
def test_town_dashboard_permissions(roles, login, role):
    user = StaffFactory(is_superuser=True) if role == "superuser" else roles.get(role)
    town = roles.building.community.town
    response = login(user).get(reverse("dashboard:town", args=[town.pk]))
    expected = {
        "staff": 200,  # their community's row only
        "town_staff": 200,
        "superuser": 200,
        "other_staff": 403,
        "resident": 403,
        "visitor": 302,
    }[role]
    assert response.status_code == expected


def test_town_dashboard_sets_communities_side_by_side(roles, client, settings):
    settings.LANGUAGE_CODE = "en"
    town = roles.building.community.town
    second = CommunityFactory(town=town, name="宝欣苑第二居民区")
    populate(roles.building)
    populate(BuildingFactory(community=second), size=2)
    client.force_login(roles.town_staff)
    for language in ["zh-hans", "en"]:
        response = client.get(
            reverse("dashboard:town", args=[town.pk]),
            headers={"accept-language": language},
        )
        page = response.content.decode()
        assert roles.building.community.name in page and second.name in page
    rows = {row.community.pk: row for row in response.context["rows"]}
    assert set(rows) == {roles.building.community_id, second.pk}
    # Each row sums the community dashboard's building rows: no figure of its own.
    from dashboard import metrics

    buildings = metrics.community_rows(second)
    assert rows[second.pk].raised == sum(row.raised for row in buildings)
    assert rows[second.pk].issues_open == sum(row.issues_open for row in buildings)
    assert rows[second.pk].households == sum(row.households for row in buildings)
    assert rows[second.pk].index > 0
    # A community's own staff see only their community in the town.
    client.force_login(roles.staff)
    mine = client.get(reverse("dashboard:town", args=[town.pk])).context["rows"]
    assert [row.community.pk for row in mine] == [roles.building.community_id]


def test_town_dashboard_queries_do_not_grow_with_communities(roles, client, settings):
    settings.LOUZU_PAGE_CACHE = False
    town = roles.building.community.town
    client.force_login(roles.town_staff)
    url = reverse("dashboard:town", args=[town.pk])
    populate(roles.building)
    dashboard_figures.compute_all()  # the worker computes the figures ahead
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for _ in range(3):
        populate(BuildingFactory(community=CommunityFactory(town=town)), size=2)
    dashboard_figures.compute_all()
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.status_code == 200 and len(response.context["rows"]) == 4
    assert len(large) == len(small)
    assert len(large) <= 25


def test_escalation_goes_to_the_community_and_its_town(roles):
    town = roles.building.community.town
    neighbour = BuildingFactory(community=CommunityFactory(town=town))
    neighbour_staff = StaffFactory(communities=[neighbour.community])
    IssueFactory(building=roles.building, title="大堂铁门坏了")
    IssueFactory(building=neighbour, title="高空抛物")
    StaffFactory(is_superuser=True)  # operates the site: not told of daily work
    with time_machine.travel(timezone.now() + timedelta(hours=49)):
        assert escalate_overdue_issues() == 2
    told = {
        (n.recipient_id, n.text.split("“")[1].rstrip("”"))
        for n in Notification.objects.filter(kind="issue_overdue")
    }
    assert told == {
        (roles.staff.pk, "大堂铁门坏了"),
        (roles.town_staff.pk, "大堂铁门坏了"),
        (neighbour_staff.pk, "高空抛物"),
        (roles.town_staff.pk, "高空抛物"),
    }


def test_staff_by_community_reads_in_bounded_queries(roles, django_assert_num_queries):
    communities = [
        CommunityFactory(town=roles.building.community.town) for _ in range(5)
    ]
    for community in communities:
        StaffFactory(communities=[community])
    ids = {roles.building.community_id, *(c.pk for c in communities)}
    with django_assert_num_queries(2):
        found = staff_by_community(ids)
    assert all(roles.town_staff in found[pk] for pk in ids)
    assert roles.other_staff not in found[roles.building.community_id]


def test_scope_of_each_kind_of_staff(roles):
    community = roles.building.community
    assert staff_community_ids(roles.staff) == {community.pk}
    assert community.pk in staff_community_ids(roles.town_staff)
    assert community.pk not in staff_community_ids(roles.other_staff)
    assert staff_community_ids(StaffFactory(is_superuser=True)) is None  # all
    assert staff_community_ids(roles.leader) == set()
    assert staff_community_ids(StaffFactory()) == set()  # staff with no post: nothing


def test_a_new_post_takes_effect_on_the_next_request(roles, client):
    """The cached log-in keeps the staff scope; a new post invalidates it."""
    url = reverse("buildings:todo", args=[roles.building.pk])
    client.force_login(roles.other_staff)
    assert client.get(url).status_code == 404
    StaffPost.objects.create(user=roles.other_staff, community=roles.building.community)
    assert client.get(url).status_code == 200


# --- The admin ---------------------------------------------------------------------


def daily_staff(**posts):
    """Staff with every admin permission of daily work but the revealing one."""
    staff = StaffFactory(**posts)
    staff.user_permissions.set(
        Permission.objects.exclude(codename="view_anonymous_reporter")
    )
    return staff


@pytest.fixture
def two_communities(roles):
    other = Community.objects.exclude(pk=roles.building.community_id).get(
        name__startswith="测试居民区", town__name="月浦镇"
    )
    here = IssueFactory(building=roles.building, title="本区的诉求")
    there = IssueFactory(building=other.buildings.get(), title="别区的诉求")
    return {"here": here, "there": there, "other": other}


ADMIN_LISTS = [
    "proposals_issue",
    "buildings_building",
    "buildings_resident",
    "buildings_household",
    "buildings_community",
]


@pytest.mark.parametrize("kind", ["community", "town", "other", "superuser"])
def test_admin_lists_keep_to_their_communities(roles, two_communities, client, kind):
    user = {
        "community": lambda: daily_staff(communities=[roles.building.community]),
        "town": lambda: daily_staff(towns=[roles.building.community.town]),
        "other": lambda: daily_staff(communities=[two_communities["other"]]),
        "superuser": lambda: StaffFactory(is_superuser=True),
    }[kind]()
    client.force_login(user)
    issues = client.get(reverse("admin:proposals_issue_changelist")).content.decode()
    assert ("本区的诉求" in issues) is (kind != "other")
    assert ("别区的诉求" in issues) is (kind in {"other", "superuser"})
    for name in ADMIN_LISTS:
        response = client.get(reverse(f"admin:{name}_changelist"))
        assert response.status_code == 200
        for row in response.context["cl"].result_list:
            community = getattr(row, "pk", None) if name.endswith("community") else None
            if community is None:
                community = Community.objects.filter(
                    buildings__in=_buildings_of(row)
                ).values_list("pk", flat=True)[0]
            if kind == "community":
                assert community == roles.building.community_id, (name, row)
            if kind == "other":
                assert community == two_communities["other"].pk, (name, row)


def _buildings_of(row):
    from buildings.models import Building, Household, Resident

    if isinstance(row, Building):
        return [row]
    if isinstance(row, Household):
        return [row.building]
    if isinstance(row, Resident):
        return [row.household.building]
    return [row.building]


def test_admin_change_page_of_another_community_is_not_found(
    roles, two_communities, client
):
    client.force_login(daily_staff(communities=[roles.building.community]))
    mine = reverse("admin:proposals_issue_change", args=[two_communities["here"].pk])
    theirs = reverse("admin:proposals_issue_change", args=[two_communities["there"].pk])
    assert client.get(mine).status_code == 200
    response = client.get(theirs)
    assert response.status_code == 302  # "does not exist", back to the admin's index
    assert client.post(
        reverse("admin:proposals_issue_delete", args=[two_communities["there"].pk]),
        {"post": "yes"},
    ).status_code in (302, 404)
    assert (
        type(two_communities["there"])
        .objects.filter(pk=two_communities["there"].pk)
        .exists()
    )


def test_admin_filters_and_choices_offer_only_their_communities(
    roles, two_communities, client
):
    client.force_login(daily_staff(communities=[roles.building.community]))
    response = client.get(reverse("admin:buildings_resident_changelist"))
    page = response.content.decode()
    assert two_communities["other"].name not in page  # not even as a filter choice
    from buildings.models import Resident

    mine = Resident.objects.filter(
        household__building__community=roles.building.community
    )
    assert response.context["cl"].result_count == mine.count()
    assert Resident.objects.count() > mine.count()
    add = client.get(reverse("admin:buildings_announcement_add"))
    field = add.context["adminform"].form.fields["community"]
    assert list(field.queryset) == [roles.building.community]
    building_field = add.context["adminform"].form.fields["building"]
    assert set(building_field.queryset) == set(roles.building.community.buildings.all())
    autocomplete = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "",
            "app_label": "buildings",
            "model_name": "talent",
            "field_name": "skill",
        },
    )
    assert autocomplete.status_code == 200  # skills name no one: every staff member


def test_admin_hides_what_belongs_to_no_community_from_staff(roles, client):
    client.force_login(daily_staff(communities=[roles.building.community]))
    for name in ["buildings_phonecode", "buildings_notification", "auditlog_logentry"]:
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 403
    client.force_login(StaffFactory(is_superuser=True))
    for name in ["buildings_phonecode", "buildings_notification", "auditlog_logentry"]:
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200


def test_only_superusers_give_staff_posts(roles, client):
    staff = daily_staff(communities=[roles.building.community])
    client.force_login(staff)
    assert (
        client.get(reverse("admin:buildings_staffpost_changelist")).status_code == 200
    )
    assert client.get(reverse("admin:buildings_staffpost_add")).status_code == 403
    response = client.post(
        reverse("admin:buildings_staffpost_add"),
        {"user": staff.pk, "town": roles.building.community.town_id},
    )
    assert response.status_code == 403
    assert not StaffPost.objects.filter(user=staff, town__isnull=False).exists()
    # Nor can staff make themselves a superuser on their own user page.
    change = client.get(reverse("admin:buildings_user_change", args=[staff.pk]))
    assert "is_superuser" not in change.context["adminform"].form.fields
    client.force_login(StaffFactory(is_superuser=True))
    assert client.get(reverse("admin:buildings_staffpost_add")).status_code == 200


def test_admin_queries_bounded_for_a_staff_member(
    roles, two_communities, client, django_assert_max_num_queries
):
    staff = daily_staff(communities=[roles.building.community])
    for _ in range(10):
        AccountResidentFactory(household__building=roles.building)
        IssueFactory(building=roles.building)
    client.force_login(staff)
    with django_assert_max_num_queries(20):
        assert (
            client.get(reverse("admin:proposals_issue_changelist")).status_code == 200
        )
    with django_assert_max_num_queries(20):
        assert (
            client.get(reverse("admin:buildings_resident_changelist")).status_code
            == 200
        )
