"""The whole-page cache: a second look is served from it, and no write ever leaves a
page behind (core/pagecache.py)."""

import os
import re
from datetime import datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buildings.models import Announcement, Notification
from buildings.notify import notify_many
from core import pagecache
from dashboard import figures as dashboard_figures
from tests.factories import AccountResidentFactory, BuildingFactory, StaffFactory
from tests.proposals.factories import IssueFactory

pytestmark = pytest.mark.django_db

HEADER = pagecache.HEADER


def issue_url(issue):
    return reverse(
        "proposals:issue", kwargs={"building_pk": issue.building_id, "pk": issue.pk}
    )


def building_url(building):
    return reverse("buildings:detail", args=[building.pk])


def community_url(community):
    return reverse("buildings:community", args=[community.pk])


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def issue(roles):
    return IssueFactory(building=roles.building, title="三楼楼道灯不亮")


def test_second_look_is_served_from_the_cache(
    roles, issue, settings, django_assert_max_num_queries
):
    settings.LOUZU_PAGE_CACHE_VERIFY = False  # count the hit alone
    client = client_for(roles.resident)
    first = client.get(issue_url(issue))
    assert first.status_code == 200
    assert first[HEADER] == "miss"
    # session, user, membership, building, issue, "me too", unread count
    with django_assert_max_num_queries(7):
        second = client.get(issue_url(issue))
    assert second[HEADER] == "hit"
    assert "三楼楼道灯不亮" in second.content.decode()
    strip = re.compile(rb'value="[A-Za-z0-9]{64}"')
    assert strip.sub(b"", second.content) == strip.sub(b"", first.content)


def test_production_does_not_say_whether_the_page_was_cached(
    roles, issue, settings, django_assert_max_num_queries
):
    """A hit would tell a resident that a neighbour opened the page before them."""
    settings.LOUZU_PAGE_CACHE_HEADER = False
    settings.LOUZU_PAGE_CACHE_VERIFY = False
    client = client_for(roles.resident)
    first = client.get(issue_url(issue))
    with django_assert_max_num_queries(7):  # served from the cache all the same
        second = client.get(issue_url(issue))
    assert first.status_code == second.status_code == 200
    assert HEADER not in first and HEADER not in second


def test_neighbours_of_one_role_share_the_page_but_not_their_own_parts(roles, issue):
    """B is served the page A's visit built, with B's own "me too" state and inbox."""
    a = roles.resident
    b = AccountResidentFactory(household__building=roles.building).user
    assert support(a, issue).status_code == 302
    Notification.objects.create(recipient=b, kind="announcement", text="x")
    page_a = client_for(a)
    page_a.get(issue_url(issue))  # drops the flash message
    assert page_a.get(issue_url(issue))[HEADER] in ("miss", "hit")
    page_b = client_for(b).get(issue_url(issue))
    assert page_b[HEADER] == "hit"
    html = page_b.content.decode()
    assert "您点了“我也遇到”" not in html and "我也遇到" in html
    assert '<span class="badge text-bg-danger">1</span>' in html
    mine = page_a.get(issue_url(issue)).content.decode()
    assert "撤回我的“我也遇到”" in mine
    assert '<span class="badge text-bg-danger">' not in mine


def test_an_anonymous_reporter_alone_is_told_it_is_theirs(roles):
    reporter = roles.resident
    issue = IssueFactory(
        building=roles.building, reporter=reporter.memberships.get(), anonymous=True
    )
    neighbour = AccountResidentFactory(household__building=roles.building).user
    own = client_for(reporter).get(issue_url(issue))
    assert "只有您自己能看到" in own.content.decode()
    other = client_for(neighbour).get(issue_url(issue))
    assert other[HEADER] == "hit"
    assert "只有您自己能看到" not in other.content.decode()
    assert reporter.name not in other.content.decode()


@pytest.mark.parametrize(
    "first,then",
    [
        ("resident", "team"),
        ("team", "leader"),
        ("leader", "staff"),
        ("resident", "outsider"),
        ("resident", "visitor"),
        ("staff", "visitor"),
    ],
)
def test_another_role_never_gets_the_page_built_for_one(roles, first, then):
    url = building_url(roles.building)
    client_for(roles.get(first)).get(url)
    response = client_for(roles.get(then)).get(url)
    assert response.get(HEADER) != "hit"


def test_a_visitor_is_refused_even_after_a_resident_looked(roles):
    client_for(roles.resident).get(building_url(roles.building))
    response = client_for(None).get(building_url(roles.building))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def support(user, issue):
    return client_for(user).post(
        reverse(
            "proposals:issue-support",
            kwargs={"building_pk": issue.building_id, "pk": issue.pk},
        )
    )


def test_a_write_through_the_site_shows_at_once_to_everyone(roles, issue):
    watcher = client_for(roles.team)
    watcher.get(issue_url(issue))
    before = watcher.get(issue_url(issue))
    assert before[HEADER] == "hit"
    assert "0 位邻居也遇到" in before.content.decode()
    assert support(roles.resident, issue).status_code == 302
    after = watcher.get(issue_url(issue))
    assert after[HEADER] == "miss"
    assert "1 位邻居也遇到" in after.content.decode()


def test_a_write_in_another_community_keeps_the_page(roles, issue):
    elsewhere = IssueFactory()
    far_resident = AccountResidentFactory(household__building=elsewhere.building).user
    watcher = client_for(roles.resident)
    watcher.get(issue_url(issue))
    support(far_resident, elsewhere)
    assert elsewhere.supports.count() == 1
    assert watcher.get(issue_url(issue))[HEADER] == "hit"


def test_a_write_outside_any_request_shows_at_once(roles):
    """Management commands, the shell and the admin's bulk paths change rows too."""
    watcher = client_for(roles.resident)
    url = building_url(roles.building)
    watcher.get(url)
    assert watcher.get(url)[HEADER] == "hit"
    Announcement.objects.create(
        community=roles.building.community,
        building=roles.building,
        author=roles.leader,
        title="周六大扫除",
        body="早上九点楼下集合。",
    )
    after = watcher.get(url)
    assert after[HEADER] == "miss"
    assert "周六大扫除" in after.content.decode()


def test_a_write_from_an_address_naming_no_community_is_traced_to_its_community(
    roles,
):
    """/me/talents/ names no building: the talent is followed to its community."""
    watcher = client_for(roles.outsider)  # another building, same community
    url = community_url(roles.building.community)
    watcher.get(url)
    assert watcher.get(url)[HEADER] == "hit"
    response = client_for(roles.resident).post(
        reverse("buildings:talents-update"),
        {"skills": "修自行车", "offer": "", "talent_visibility": "community"},
    )
    assert response.status_code == 302
    after = watcher.get(url)
    assert after[HEADER] == "miss"
    assert "修自行车" in after.content.decode()


BADGE = '<span class="badge text-bg-danger">'


def test_a_new_notification_shows_on_a_cached_page(roles):
    watcher = client_for(roles.resident)
    url = building_url(roles.building)
    watcher.get(url)
    assert BADGE not in watcher.get(url).content.decode()
    notify_many(recipients=[roles.resident], kind="announcement", text="新公告")
    after = watcher.get(url)
    assert after[HEADER] == "hit"  # the page is the same; the top bar is personal
    assert BADGE + "1</span>" in after.content.decode()


def test_reading_the_inbox_clears_the_count_on_cached_pages(roles):
    Notification.objects.create(recipient=roles.resident, kind="announcement", text="x")
    watcher = client_for(roles.resident)
    url = building_url(roles.building)
    assert BADGE + "1</span>" in watcher.get(url).content.decode()
    watcher.get(reverse("buildings:notifications"))
    after = watcher.get(url)
    assert after[HEADER] == "hit"
    assert BADGE not in after.content.decode()


def test_leaving_the_building_closes_its_cached_pages(roles):
    client = client_for(roles.resident)
    url = building_url(roles.building)
    client.get(url)
    assert client.get(url)[HEADER] == "hit"
    resident = roles.resident.memberships.get()
    resident.status = "left"
    resident.save()
    assert client.get(url).status_code in (403, 404)


def test_a_staff_page_is_not_served_to_someone_who_lost_staff(roles):
    staff = StaffFactory(communities=[roles.building.community])
    client = client_for(staff)
    url = reverse("dashboard:community", args=[roles.building.community_id])
    dashboard_figures.compute(roles.building.community)  # the worker's, ahead of time
    assert client.get(url).status_code == 200
    assert client.get(url)[HEADER] == "hit"
    client.force_login(roles.resident)
    assert client.get(url).status_code == 403


def test_each_language_has_its_own_page(roles, issue):
    client = client_for(roles.resident)
    zh = client.get(issue_url(issue), headers={"accept-language": "zh-hans"})
    en = client.get(issue_url(issue), headers={"accept-language": "en"})
    assert en[HEADER] == "miss"
    assert zh["Content-Language"] == "zh-hans" and en["Content-Language"] == "en"
    assert zh.content != en.content


def test_forms_on_a_cached_page_carry_a_working_token(roles, issue):
    client = Client(enforce_csrf_checks=True)
    client.force_login(roles.resident)
    client.get(issue_url(issue))
    hit = client.get(issue_url(issue))
    assert hit[HEADER] == "hit"
    token = re.search(
        r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"', hit.content.decode()
    ).group(1)
    response = client.post(
        reverse(
            "proposals:issue-support",
            kwargs={"building_pk": issue.building_id, "pk": issue.pk},
        ),
        {"csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert issue.supports.count() == 1


def test_a_page_with_a_message_is_shown_once_and_not_kept(roles, issue):
    client = client_for(roles.resident)
    client.get(issue_url(issue))
    client.post(
        reverse(
            "proposals:issue-support",
            kwargs={"building_pk": issue.building_id, "pk": issue.pk},
        )
    )
    with_message = client.get(issue_url(issue))
    assert HEADER not in with_message
    message = "已记下"
    assert message in with_message.content.decode()
    again = client.get(issue_url(issue))
    assert message not in again.content.decode()


@pytest.mark.skipif(
    bool(os.environ.get("REDIS_URL")), reason="Redis expires keys by the real clock"
)
def test_pages_expire_so_clock_driven_states_move_on(roles, issue):
    client = client_for(roles.resident)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.get(issue_url(issue))
        assert client.get(issue_url(issue))[HEADER] == "hit"
        traveller.shift(timedelta(seconds=pagecache.PAGE_SECONDS + 1))
        assert client.get(issue_url(issue))[HEADER] == "miss"


def test_switched_off_it_serves_every_page_fresh(roles, issue, settings):
    settings.LOUZU_PAGE_CACHE = False
    client = client_for(roles.resident)
    client.get(issue_url(issue))
    assert HEADER not in client.get(issue_url(issue))


def test_without_the_bump_the_page_would_be_stale(roles, issue, monkeypatch, settings):
    """The twin: a write that forgot to bump leaves the page behind, and the check that
    runs in every test (LOUZU_PAGE_CACHE_VERIFY) says so."""
    watcher = client_for(roles.team)
    watcher.get(issue_url(issue))
    monkeypatch.setattr(pagecache, "_bump", lambda scopes: None)
    monkeypatch.setattr(pagecache, "bump_all", lambda: None)
    support(roles.resident, issue)
    assert issue.supports.count() == 1
    with pytest.raises(pagecache.StalePage, match="1 位邻居也遇到"):
        watcher.get(issue_url(issue))
    settings.LOUZU_PAGE_CACHE_VERIFY = False
    stale = watcher.get(issue_url(issue))
    assert stale[HEADER] == "hit"
    assert "0 位邻居也遇到" in stale.content.decode()


def test_communities_of_follows_foreign_keys(roles, issue):
    other = BuildingFactory()
    assert pagecache._communities_of(issue) == {roles.building.community_id}
    event = issue.events.first()
    if event is not None:
        assert pagecache._communities_of(event) == {roles.building.community_id}
    assert pagecache._communities_of(roles.resident) == {roles.building.community_id}
    assert pagecache._communities_of(roles.staff) == set()  # belongs to none
    assert pagecache._communities_of(other) == {other.community_id}


YOU_TOO = '<span class="text-success">'


@pytest.fixture
def busy_building(roles):
    """Every cached page of one building, and a neighbour who has acted on all of them."""
    from tests.activities.factories import ActivityFactory
    from tests.funds.factories import FundFactory
    from tests.proposals.deliberation.factories import PollFactory

    building = roles.building
    issue = IssueFactory(building=building)
    poll = PollFactory(proposal__building=building, proposal__author=roles.leader)
    activity = ActivityFactory(building=building)
    FundFactory(building=building)
    actor = roles.resident
    assert support(actor, issue).status_code == 302
    client = client_for(actor)
    assert (
        client.post(
            reverse("proposals:poll-vote", args=[building.pk, poll.pk]),
            {"option": poll.options.first().pk},
        ).status_code
        == 302
    )
    assert (
        client.post(
            reverse("activities:sign-up", args=[building.pk, activity.pk]),
            {"adults": "1", "children": "0"},
        ).status_code
        == 302
    )
    Notification.objects.create(recipient=actor, kind="announcement", text="x")
    return {
        "community page": community_url(building.community),
        "building page": building_url(building),
        "issue list": reverse("proposals:issues", args=[building.pk]) + "?status=all",
        "issue page": issue_url(issue),
        "poll page": reverse("proposals:poll", args=[building.pk, poll.pk]),
        "statement": reverse("funds:statement", args=[building.pk]),
        "activity page": reverse("activities:detail", args=[building.pk, activity.pk]),
    }


@pytest.mark.parametrize(
    "page",
    [
        "community page",
        "building page",
        "issue list",
        "issue page",
        "poll page",
        "statement",
        "activity page",
    ],
)
def test_a_neighbour_served_a_shared_page_sees_only_their_own_parts(
    roles, busy_building, page
):
    """The neighbour who voted, signed up and said "me too" builds the page; the next
    neighbour of the same role is served it from the cache, and the check every test
    runs (LOUZU_PAGE_CACHE_VERIFY) compares it with the page made for them afresh."""
    url = busy_building[page]
    other = AccountResidentFactory(household__building=roles.building).user
    actor = client_for(roles.resident)
    actor.get(url)  # may show a flash message once
    built = actor.get(url)
    assert built.status_code == 200
    own = {
        "issue page": "撤回我的“我也遇到”",
        "poll page": "您家已投票",
        "activity page": "您已报名成功",
        "issue list": YOU_TOO,
    }
    if page in own:  # what the next neighbour must not see is really on this page
        assert own[page] in built.content.decode()
    assert BADGE in built.content.decode()
    served = client_for(other).get(url)
    assert served.status_code == 200
    assert served[HEADER] == "hit"
    html = served.content.decode()
    assert BADGE not in html  # the actor's unread message is theirs
    for theirs in ["撤回我的“我也遇到”", "您已报名成功", "您家已投票", YOU_TOO]:
        assert theirs not in html


class CacheCalls:
    """Counts the calls made to the shared cache (each one a round trip to Redis; the
    test cache's get_many() calls get() inside, which is not counted again)."""

    def __init__(self, monkeypatch):
        from django.core.cache import cache

        self.calls = []
        self.depth = 0
        for name in ("get", "get_many", "add", "set", "set_many"):
            original = getattr(cache, name)

            def counted(*args, _name=name, _original=original, **kwargs):
                if self.depth == 0:
                    self.calls.append(_name)
                self.depth += 1
                try:
                    return _original(*args, **kwargs)
                finally:
                    self.depth -= 1

            monkeypatch.setattr(cache, name, counted)


def test_the_person_and_the_page_come_in_one_round_trip(
    roles, issue, monkeypatch, settings
):
    settings.LOUZU_PAGE_CACHE_VERIFY = False  # count the hit alone
    client = client_for(roles.resident)
    url = issue_url(issue)
    client.get(url)  # kept, and the person's audience remembered in their session
    assert client.session[pagecache.AUDIENCE_KEY] == pagecache.audience(
        type("R", (), {"user": roles.resident})
    )
    calls = CacheCalls(monkeypatch)
    response = client.get(url)
    assert response[HEADER] == "hit"
    assert calls.calls == ["get_many"]  # the person, their unread count and the page


def test_a_remembered_audience_that_changed_is_read_again_not_served(
    roles, monkeypatch
):
    """The resident becomes team: the resident's page, kept and current, is not served
    to them (the verify check would fail); the team's is read, and the new audience is
    remembered."""
    url = building_url(roles.building)
    client = client_for(roles.resident)
    client.get(url)
    membership = roles.resident.memberships.get()
    membership.role = "team"
    membership.save()
    neighbour = AccountResidentFactory(household__building=roles.building).user
    assert client_for(neighbour).get(url)[HEADER] == "miss"  # a resident's page, kept
    assert client_for(roles.team).get(url)[HEADER] == "miss"  # the team's page, kept
    calls = CacheCalls(monkeypatch)
    response = client.get(url)
    assert response[HEADER] == "hit"
    assert calls.calls.count("get_many") == 2  # the remembered guess was wrong
    assert client.session[pagecache.AUDIENCE_KEY].endswith("/approved/team/adult")
    calls.calls.clear()
    assert client.get(url)[HEADER] == "hit"
    assert calls.calls.count("get_many") == 1


@pytest.mark.skipif(
    bool(os.environ.get("REDIS_URL")), reason="Redis expires keys by the real clock"
)
def test_a_page_kept_before_midnight_is_not_served_after_it(roles):
    from tests.funds.factories import ready_fund

    ready_fund(roles.building)
    client = client_for(roles.resident)
    url = reverse("funds:statement", args=[roles.building.pk])
    shanghai = timezone.get_current_timezone()
    late = datetime(2026, 6, 30, 23, 59, 50, tzinfo=shanghai)
    with time_machine.travel(late, tick=False) as traveller:
        client.get(url)
        assert client.get(url)[HEADER] == "hit"
        traveller.shift(timedelta(seconds=20))  # 1 July, within the page's 60 s
        page = client.get(url)
    assert page[HEADER] == "miss"
    assert "2026-07-01" in page.content.decode()
