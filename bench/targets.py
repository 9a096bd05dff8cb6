"""The buildings a benchmark opens and writes in, with sessions for their people.

Shared by bench/pages.py (in-process CPU per request), bench/run.py (one endpoint at a
time over HTTP) and bench/mixed.py (a mixed load over HTTP). Needs Django set up against
the PostgreSQL database of a generated district (`manage.py generate_district`).

The first run adds a consultation (with answers) to the chosen buildings that have none,
titled "压测"; sessions are created for the chosen people and deleted by `forget()`.
"""

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

MARK = "压测"
BUSIEST = -1  # prepare(community=BUSIEST)


@dataclass
class Target:
    """One building and what the benchmark opens and writes there."""

    building: int
    community: int
    poll: int
    options: list[int]
    activities: list[int]  # open for sign-up: the building's own and community-wide
    consultation: int
    leader: str  # session keys
    residents: list[str]
    staff: str
    issues: list[int] = field(default_factory=list)  # not the benchmark's own reports
    open_issues: list[int] = field(default_factory=list)  # "me too" is for open issues
    meeting: int | None = None
    campaign: int | None = None
    task: int | None = None  # a volunteer rota (1 building in 3 keeps one)


def session_for(user) -> str:
    """A session as log-in makes it (the page cache's audience remembered in it)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from core import pagecache

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "buildings.backends.CachedModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[pagecache.AUDIENCE_KEY] = pagecache.audience_of(user)
    store.set_expiry(3600)
    store.create()
    return store.session_key


def consultation_of(building, leader, residents) -> int:
    """The building's first consultation; one with three questions and a few answers,
    as a leader publishes it, if it has none."""
    from django.utils import timezone

    from proposals.deliberation.consultations import services
    from proposals.models import Consultation

    found = (
        Consultation.objects.filter(building=building)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    if found is not None:
        return found
    now = timezone.now()
    consultation = services.create_consultation(
        building=building,
        created_by=leader,
        title=f"{MARK}：加装电梯意见征询",
        intro="",
        opens_at=now - timedelta(days=2),
        closes_at=now + timedelta(days=30),
    )
    one, many, text = (
        services.add_question(
            consultation=consultation,
            text=question,
            kind=kind,
            required=required,
            choices=choices,
        )
        for question, kind, required, choices in (
            ("您是否同意加装电梯？", "single", True, ["同意", "不同意", "无所谓"]),
            ("您最关心哪些方面？", "multiple", False, ["费用", "噪音", "采光", "工期"]),
            ("其他意见", "text", False, []),
        )
    )
    rng = random.Random(building.pk)
    for resident in residents[:12]:
        services.submit_response(
            consultation=consultation,
            resident=resident,
            answers={
                one: [rng.choice(list(one.choices.all()))],
                many: rng.sample(list(many.choices.all()), 2),
                text: "",
            },
        )
    return consultation.pk


def prepare(
    buildings: int, residents: int, seed: int, community: int | None = None
) -> list[Target]:
    """Up to `buildings` buildings that have an open poll, a fund and an activity open
    for sign-up, drawn at random (in one community if given, BUSIEST: the one with most); sessions for their leader,
    up to `residents` residents (one per household: every vote is theirs to cast) and a
    staff member."""
    from django.utils import timezone

    from activities.models import Activity, Task
    from buildings.models import Building, Resident, User
    from funds.models import Campaign, Fund
    from proposals.models import Issue, Meeting, Poll

    now = timezone.now()
    polls = dict(
        Poll.objects.open_now()
        .filter(electorate="household")
        .order_by("building_id", "pk")
        .values_list("building_id", "pk")
    )
    funded = set(Fund.objects.values_list("building_id", flat=True))
    signup, community_wide = {}, {}
    for building_id, community_id, pk in (
        Activity.objects.filter(signup_deadline__gt=now)
        .order_by("pk")
        .values_list("building_id", "community_id", "pk")
    ):
        if building_id is None:
            community_wide.setdefault(community_id, []).append(pk)
        else:
            signup.setdefault(building_id, []).append(pk)
    candidates = sorted(b for b in polls if b in funded and b in signup)
    where = dict(
        Building.objects.filter(pk__in=candidates).values_list("pk", "community_id")
    )
    if community == BUSIEST:  # the community with the most such buildings
        community = Counter(where.values()).most_common(1)[0][0]
    if community is not None:
        candidates = [b for b in candidates if where[b] == community]
    chosen = random.Random(seed).sample(candidates, min(buildings, len(candidates)))
    staff = User.objects.filter(is_staff=True, is_active=True).order_by("pk").first()
    staff_session = session_for(staff) if staff else ""

    def first(queryset):
        return queryset.order_by("-pk").values_list("pk", flat=True).first()

    targets = []
    for building_id in chosen:
        people = list(
            Resident.objects.approved()
            .filter(
                household__building_id=building_id, user__isnull=False, is_adult=True
            )
            .select_related("user", "household__building")
            .order_by("pk")
        )
        leader = next((p for p in people if p.role == "leader"), None)
        chosen_people, households = [], set()
        for person in people:
            if person.role == "resident" and person.household_id not in households:
                chosen_people.append(person)
                households.add(person.household_id)
        if leader is None or not chosen_people:
            continue
        building = leader.household.building
        poll = polls[building_id]
        targets.append(
            Target(
                building=building_id,
                community=building.community_id,
                poll=poll,
                options=list(
                    Poll.objects.get(pk=poll).options.values_list("pk", flat=True)
                ),
                activities=signup[building_id]
                + community_wide.get(building.community_id, []),
                consultation=consultation_of(building, leader.user, chosen_people),
                leader=session_for(leader.user),
                residents=[session_for(p.user) for p in chosen_people[:residents]],
                staff=staff_session,
                issues=list(  # not the benchmark's own reports: runs stay alike
                    Issue.objects.filter(building_id=building_id)
                    .exclude(title__startswith=MARK)
                    .order_by("-created_at")
                    .values_list("pk", flat=True)[:30]
                ),
                open_issues=list(
                    Issue.objects.filter(building_id=building_id)
                    .open()
                    .values_list("pk", flat=True)[:30]
                ),
                meeting=first(Meeting.objects.filter(building_id=building_id)),
                campaign=first(Campaign.objects.filter(fund__building_id=building_id)),
                task=first(Task.objects.filter(building_id=building_id)),
            )
        )
    if not targets:
        raise SystemExit(
            "No building has an open poll, a fund and an activity open for sign-up."
        )
    computed_ahead({t.community for t in targets})
    return targets


def computed_ahead(communities: set[int]) -> None:
    """The dashboard figures of these communities, as the deployed task worker keeps
    them (every 5 minutes): a freshly generated district has none, and a page that finds
    none computes them during the request, once, which is not what it costs in use."""
    from buildings.models import Community
    from dashboard import figures
    from dashboard.models import Figures

    have = set(Figures.objects.values_list("community_id", flat=True))
    for community in Community.objects.filter(pk__in=communities - have):
        figures.compute(community)


def sessions(targets: list[Target]) -> list[str]:
    return list(
        dict.fromkeys(
            s for t in targets for s in (t.leader, t.staff, *t.residents) if s
        )
    )


def forget(targets: list[Target]) -> None:
    """Delete the benchmark's sessions."""
    from django.contrib.sessions.models import Session

    Session.objects.filter(session_key__in=sessions(targets)).delete()
