"""Every main page issues the same number of queries on small and on 8× larger data.

Two districts are generated with `buildings.synthetic.district` (the generator behind
`manage.py generate_district`): a small one (12 households a building, a light year)
and a large one (96 households a building, five times the activity). Each page is
opened on a comparable object of each, by the building's leader and by a resident, and
the number of queries must be equal: it may depend on what a page shows, never on how
much data there is. The same holds for the main writes (report, "me too", comment,
vote, answer, sign up, log a donation), deliveries included.
"""

import uuid
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities.models import Activity, Task
from buildings.models import Building, Community, Household, Notification, Resident
from buildings.synthetic import district as gen
from dashboard import figures as dashboard_figures
from dashboard.models import Figures
from funds.models import Campaign, Fund
from proposals.deliberation.consultations.services import submit_response
from proposals.deliberation.polls.services import cast_ballot
from proposals.models import Consultation, Issue, Meeting, Poll
from tests.activities.factories import ActivityFactory
from tests.module_data import built_once
from tests.proposals.deliberation.factories import ConsultationFactory, PollFactory
from tests.proposals.deliberation.test_permissions import answer_data
from tests.proposals.factories import IssueFactory

# One xdist worker runs them all (python3 dev.py test: --dist loadgroup): the two
# districts take far longer to generate than every test here takes to run, so they are
# generated once rather than once in each worker.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("query_scaling")]

SCALES = {
    "small": {"households_per_building": 12, "intensity": 2.0},
    "large": {"households_per_building": 96, "intensity": 10.0},
}


def _generate(name: str, seed: int, **sizes):
    district = gen.District(
        communities=1,
        buildings_per_community=6,
        seed=seed,
        district_name=f"test {name}",
        **sizes,
    )
    gen.generate(district)
    return district


def _pick(district) -> dict | None:
    """The first building (with a fund) that has something on every page, if any."""
    funded = set(
        Fund.objects.filter(
            building_id__in=[b.id for b in district.buildings()]
        ).values_list("building_id", flat=True)
    )
    for plan in district.buildings():
        objects = _objects(plan) if plan.id in funded else None
        if objects is not None:
            objects["staff"] = district.staff_user_id
            return objects
    return None


def _district_with_every_page(name: str, sizes: dict) -> dict:
    """Generate with seeds 1, 2, … until a building has something on every page."""
    for seed in range(1, 11):
        with transaction.atomic():
            picked = _pick(_generate(f"{name} {seed}", seed=seed, **sizes))
            if picked is not None:
                return picked
            transaction.set_rollback(True)
    raise AssertionError("ten generated districts left a page without data")


def _objects(plan) -> dict | None:
    """The objects each page shows, chosen alike at both scales."""
    building_id = plan.id
    issue = (
        Issue.objects.filter(building_id=building_id, status="resolved")
        .annotate(n=Count("events", distinct=True), s=Count("supports", distinct=True))
        .order_by("-n", "-s", "pk")
        .first()
    )
    poll = (
        Poll.objects.filter(
            building_id=building_id,
            outcome="adopted",
            is_secret=False,
            electorate="household",
        )
        .annotate(n=Count("ballots"))
        .order_by("-n", "pk")
        .first()
    )
    activity = (
        Activity.objects.filter(building_id=building_id, ends_at__lt=timezone.now())
        .annotate(n=Count("registrations"))
        .order_by("-n", "pk")
        .first()
    )
    resident = (
        Resident.objects.approved()
        .filter(
            household__building_id=building_id,
            role="resident",
            user__isnull=False,
            is_adult=True,
        )
        .order_by("pk")
        .first()
    )
    meeting = (
        Meeting.objects.filter(building_id=building_id, starts_at__lt=timezone.now())
        .annotate(n=Count("attendances"))
        .order_by("-n", "pk")
        .first()
    )
    campaign = (
        Campaign.objects.filter(fund__building_id=building_id)
        .annotate(n=Count("entries"))
        .order_by("-n", "pk")
        .first()
    )
    rota = Task.objects.filter(building_id=building_id).exists()
    upcoming = Activity.objects.filter(
        building_id=building_id, ends_at__gte=timezone.now()
    ).exists()
    if not all([issue, poll, activity, resident, rota, upcoming, meeting, campaign]):
        return None
    return {
        "building": building_id,
        "community": plan.community_id,
        "issue": issue.pk,
        "poll": poll.pk,
        "activity": activity.pk,
        "meeting": meeting.pk,
        "campaign": campaign.pk,
        "leader": plan.leader.user_id,
        "staff": None,  # filled in by _pick
        "resident": resident.user_id,
        "households": Household.objects.filter(building_id=building_id).count(),
    }


def _add_what_the_generator_leaves_out(objects: dict) -> None:
    """A consultation answered by every other household, an open poll every other
    household voted in, an open issue and an upcoming activity for the writes, and an
    inbox of messages: as many as the building has households."""
    building_id, resident = objects["building"], objects["resident"]
    building = Building.objects.get(pk=building_id)
    mine = Resident.objects.get(user_id=resident, household__building=building)
    first_adults = {}
    for someone in (
        Resident.objects.approved()
        .filter(household__building=building, is_adult=True)
        .exclude(household_id=mine.household_id)
        .order_by("pk")
    ):
        first_adults.setdefault(someone.household_id, someone)
    others = list(first_adults.values())
    leader = _user(objects["leader"])
    consultation = ConsultationFactory(building=building, created_by=leader)
    answers = {
        question: list(question.choices.order_by("position")[:1]) or "种花"
        for question in consultation.questions.all()
    }
    poll = PollFactory(
        proposal__building=building, proposal__author=leader, created_by=leader
    )
    yes = poll.options.order_by("position").first()
    for someone in others:
        submit_response(consultation=consultation, answers=answers, resident=someone)
        cast_ballot(poll=poll, option_id=yes.pk, resident=someone)
    Notification.objects.bulk_create(
        Notification(
            recipient_id=resident, kind="announcement", text=f"通知{n}", link="/"
        )
        for n in range(len(others))
    )
    reporter = others[0]
    objects["consultation"] = consultation.pk
    objects["open poll"] = poll.pk
    objects["yes"] = yes.pk
    objects["open issue"] = IssueFactory(building=building, reporter=reporter).pk
    objects["upcoming activity"] = ActivityFactory(
        building=building, capacity=len(others) + 10
    ).pk


@pytest.fixture(scope="module")
def scales(django_db_setup, django_db_blocker):
    """Both districts, generated once for the module and rolled back after it."""
    yield from built_once(django_db_blocker, _both_districts)


def _both_districts():
    picked = {
        name: _district_with_every_page(name, sizes) for name, sizes in SCALES.items()
    }
    for objects in picked.values():
        _add_what_the_generator_leaves_out(objects)
    return picked


def _statement_query() -> str:
    today = timezone.localdate()
    return f"?start={today - timedelta(days=365)}&end={today}"


PAGES = {
    "community page": lambda o: f"/c/{o['community']}/",
    "building page": lambda o: f"/buildings/{o['building']}/",
    "issue list": lambda o: f"/buildings/{o['building']}/issues/?status=all",
    "issue page": lambda o: f"/buildings/{o['building']}/issues/{o['issue']}/",
    "decisions hub": lambda o: f"/buildings/{o['building']}/decide/",
    "poll page": lambda o: f"/buildings/{o['building']}/decide/polls/{o['poll']}/",
    "consultation": lambda o: (
        f"/buildings/{o['building']}/decide/consultations/{o['consultation']}/"
    ),
    "open poll": lambda o: f"/buildings/{o['building']}/decide/polls/{o['open poll']}/",
    "meeting": lambda o: f"/buildings/{o['building']}/decide/meetings/{o['meeting']}/",
    "fund page": lambda o: f"/buildings/{o['building']}/fund/",
    "campaign": lambda o: f"/buildings/{o['building']}/fund/campaigns/{o['campaign']}/",
    "statement": lambda o: (
        f"/buildings/{o['building']}/fund/statement/{_statement_query()}"
    ),
    "activity list": lambda o: f"/buildings/{o['building']}/activities/",
    "activity page": lambda o: (
        f"/buildings/{o['building']}/activities/{o['activity']}/"
    ),
    "volunteer rota": lambda o: f"/buildings/{o['building']}/volunteer/",
    "leader's to-do": lambda o: f"/buildings/{o['building']}/todo/",
    "search": lambda o: f"/buildings/{o['building']}/search/?q=门",
    "gardens": lambda o: f"/buildings/{o['building']}/gardens/",
    "inbox": lambda o: "/me/notifications/",
    "my page": lambda o: "/me/",
}


def _queries(user_id: int, path: str, before=None) -> tuple[int, int]:
    """Queries of the view itself: the page cache is off (a hit makes fewer, see
    tests/core/test_pagecache.py). `before` runs between the warm-up and the count."""
    client = Client()
    client.force_login(_user(user_id))
    with override_settings(LOUZU_PAGE_CACHE=False):
        client.get(path)  # warm up per-process caches (content types, translations)
        if before is not None:
            before()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
    # Opening a page a second time changes nothing (the inbox read its news the first
    # time), unless the writing is its purpose (a dashboard's missing figures).
    assert before is not None or _writes(captured) == [], path
    return response.status_code, len(captured)


def _writes(captured) -> list[str]:
    return [
        query["sql"][:120]
        for query in captured.captured_queries
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


def _user(user_id):
    from buildings.models import User

    return User.objects.get(pk=user_id)


STAFF_PAGES = {
    "dashboard": lambda o: "/dashboard/",
    "community dashboard": lambda o: f"/dashboard/c/{o['community']}/",
}


@pytest.mark.parametrize("figures", ["computed ahead", "never computed"])
@pytest.mark.parametrize("page", list(STAFF_PAGES))
def test_dashboard_queries_do_not_grow_with_the_data(scales, page, figures):
    """Figures computed ahead by the worker are read; a community never computed is
    computed during the request (once): both the same on either scale."""
    counts = {}
    for name, objects in scales.items():
        community = objects["community"]
        dashboard_figures.compute(Community.objects.get(pk=community))
        forget = None
        if figures == "never computed":

            def forget(community=community):
                Figures.objects.filter(community_id=community).delete()

        path = STAFF_PAGES[page](objects)
        status, count = _queries(objects["staff"], path, before=forget)
        assert status == 200, (name, path, status)
        if page == "community dashboard":  # computed afresh, or read as they were
            assert Figures.objects.filter(community_id=community).exists()
        counts[name] = count
    assert counts["small"] == counts["large"], counts
    # Computing a community's figures (dashboard.metrics) adds a few aggregates.
    assert counts["large"] <= (30 if forget is None else 40), counts


def test_the_large_district_really_is_larger(scales):
    small, large = scales["small"], scales["large"]
    assert large["households"] >= 8 * small["households"]
    # Over the six buildings of each (one building's count varies with the draw and
    # with the day the year of activity ends on): five times the activity.
    small_issues = Issue.objects.filter(
        building__community_id=small["community"]
    ).count()
    large_issues = Issue.objects.filter(
        building__community_id=large["community"]
    ).count()
    assert large_issues >= 3 * small_issues


@pytest.mark.parametrize(
    "page,role",
    [
        (page, role)
        for page in PAGES
        for role in ("resident", "leader")
        if not (page == "leader's to-do" and role == "resident")  # theirs alone
    ],
)
def test_queries_do_not_grow_with_the_data(scales, page, role):
    counts = {}
    for name, objects in scales.items():
        path = PAGES[page](objects)
        status, count = _queries(objects[role], path)
        assert status == 200, (name, path, status)
        counts[name] = count
    assert counts["small"] == counts["large"], counts
    assert counts["large"] <= 30, counts


CACHED_PAGES = [
    "community page",
    "building page",
    "issue list",
    "issue page",
    "poll page",
    "statement",
    "activity page",
]


@pytest.mark.parametrize("page", CACHED_PAGES)
def test_pages_served_from_the_cache_query_little_whatever_the_data(scales, page):
    """A hit runs only the personal blocks' queries (and the session's, in the
    database here): the same few on both scales."""
    counts = {}
    for name, objects in scales.items():
        path = PAGES[page](objects)
        client = Client()
        client.force_login(_user(objects["resident"]))
        with override_settings(LOUZU_PAGE_CACHE_VERIFY=False):
            client.get(path)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
        assert response.status_code == 200, (name, path)
        assert response["X-Page-Cache"] == "hit", (name, path)
        counts[name] = len(captured)
    assert counts["small"] == counts["large"], counts
    assert counts["large"] <= 5, counts


def _b(o):
    return f"/buildings/{o['building']}"


WRITES = {
    "report an issue": (
        "resident",
        lambda o: (
            f"{_b(o)}/issues/new/",
            {"category": "sanitation", "title": "垃圾没人收", "location": "lobby"},
        ),
    ),
    "me too": (
        "resident",
        lambda o: (f"{_b(o)}/issues/{o['open issue']}/support/", {}),
    ),
    "comment on an issue": (
        "leader",
        lambda o: (
            f"{_b(o)}/issues/{o['open issue']}/comment/",
            {"text": "明天请物业来修。"},
        ),
    ),
    "vote": (
        "resident",
        lambda o: (
            f"{_b(o)}/decide/polls/{o['open poll']}/vote/",
            {
                "option": o["yes"],
                "version": Poll.objects.get(pk=o["open poll"]).version,
            },
        ),
    ),
    "answer a consultation": (
        "resident",
        lambda o: (
            f"{_b(o)}/decide/consultations/{o['consultation']}/answer/",
            answer_data(Consultation.objects.get(pk=o["consultation"])),
        ),
    ),
    "sign up for an activity": (
        "resident",
        lambda o: (
            f"{_b(o)}/activities/{o['upcoming activity']}/sign-up/",
            {"adults": 1, "children": 0},
        ),
    ),
    "log a donation": (
        "leader",
        lambda o: (
            f"{_b(o)}/fund/donations/new/",
            {
                "token": str(uuid.uuid4()),
                "amount": "50",
                "occurred_on": timezone.localdate().isoformat(),
                "public_name": "anonymous",
                "paid_by": "cash",
            },
        ),
    ),
}


@pytest.mark.parametrize("write", list(WRITES))
def test_writes_query_the_same_whatever_the_data(scales, write):
    """The main writes, each telling whoever it tells (the task backend runs the
    deliveries inline here): the same number of queries on both scales."""
    role, request = WRITES[write]
    # The audit log looks up each model's content type once per process: all now.
    ContentType.objects.get_for_models(*apps.get_models())
    counts = {}
    for name, objects in scales.items():
        path, data = request(objects)
        client = Client()
        client.force_login(_user(objects[role]))
        client.get(_b(objects) + "/")  # warm up per-process caches
        with CaptureQueriesContext(connection) as captured:
            response = client.post(path, data)
        assert response.status_code == 302, (name, path, response.status_code)
        said = [
            (m.level, str(m)) for m in get_messages(response.wsgi_request)
        ]  # done, not refused with a message
        assert said and all(level < messages.ERROR for level, _ in said), said
        counts[name] = len(captured)
    assert counts["small"] == counts["large"], counts
    assert counts["large"] <= 60, counts
