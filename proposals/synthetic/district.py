"""A year of issue reports and decisions for every generated building (generate_district).

Per building and year, on average: 6 issue reports (with their timelines, "me too"s
and a few replies), 1.5 proposals, about one poll with ballots from 55–95% of the
households, one council meeting. Closed polls are counted with the same rule as
`close_poll` (proposals/deliberation/tally.py, decide), so a recount always agrees; a secret poll's
ballots carry no choice, only the option counters do.

Longer than 500 lines on purpose: one generator for every table of the app, whose parts
write through the bulk sinks built once in generate_district.
"""

from collections import Counter
from datetime import timedelta
from decimal import Decimal

from proposals.deliberation.tally import ADOPTED, OptionCount, decide
from proposals.models import (
    Ballot,
    Convention,
    ConventionSignature,
    Issue,
    IssueComment,
    IssueEvent,
    IssueSupport,
    Meeting,
    MeetingAttendance,
    Poll,
    PollOption,
    Proposal,
    ProposalComment,
)

CATEGORIES = [
    ("facilities", "大堂铁门关不上", 20),
    ("thrown_objects", "高空抛物", 8),
    ("sanitation", "楼道有异味", 15),
    ("corridor_clutter", "走道堆放杂物", 18),
    ("bicycles", "电瓶车停在楼道里充电", 14),
    ("greening", "绿化带杂草太多", 8),
    ("safety", "楼梯扶手松动", 8),
    ("neighbours", "楼上漏水", 5),
    ("other", "信箱损坏", 4),
]
LOCATIONS = [
    "lobby",
    "corridor",
    "stairwell",
    "rooftop",
    "bike_shed",
    "outside",
    "other",
]
# How far an issue got (older issues get further): the steps after "submitted".
PATHS = [
    (["acknowledged", "in_progress", "resolved"], 55),
    (["resolved"], 8),
    (["acknowledged", "deliberating", "in_progress", "resolved"], 7),
    (["acknowledged", "declined"], 8),
    (["acknowledged", "in_progress"], 8),
    (["acknowledged"], 6),
    (["acknowledged", "deliberating"], 4),
    ([], 4),
]
PROPOSALS = [
    ("general", "楼道粉刷方案", 45),
    ("fund_use", "用自治金更换大堂灯具", 35),
    ("convention", "楼组公约（修订）", 10),
    ("general", "一尺花园认养办法", 10),
]
OPTIONS = [("同意", "yes"), ("反对", "no"), ("弃权", "abstain")]


def _weighted(rng, table):
    *values, weights = zip(*table, strict=True)
    index = rng.choices(range(len(weights)), weights=weights)[0]
    return tuple(column[index] for column in values)


def generate_district(district) -> None:
    sinks = {
        "versions": Counter(),  # convention versions per building
        "issue": district.sink(
            Issue,
            [
                "id",
                "building_id",
                "reporter_id",
                "entered_by_id",
                "is_anonymous",
                "category",
                "title",
                "text",
                "location",
                "floor",
                "status",
                "first_response_at",
                "resolved_at",
                "escalated_at",
                "satisfaction",
                "created_at",
                "updated_at",
            ],
        ),
        "event": district.sink(
            IssueEvent,
            [
                "id",
                "issue_id",
                "kind",
                "from_status",
                "to_status",
                "actor_id",
                "actor_name",
                "actor_role",
                "reason",
                "on_behalf",
                "created_at",
            ],
        ),
        "support": district.sink(
            IssueSupport, ["id", "issue_id", "resident_id", "created_at"]
        ),
        "comment": district.sink(
            IssueComment,
            [
                "id",
                "issue_id",
                "author_id",
                "author_name",
                "author_role",
                "text",
                "created_at",
            ],
        ),
        "proposal": district.sink(
            Proposal,
            [
                "id",
                "building_id",
                "author_id",
                "kind",
                "title",
                "body",
                "budget",
                "status",
                "decided_at",
                "decision_note",
                "created_at",
                "updated_at",
            ],
        ),
        "origin": district.sink(
            Proposal.origin_issues.through, ["id", "proposal_id", "issue_id"]
        ),
        "pcomment": district.sink(
            ProposalComment,
            ["id", "proposal_id", "author_id", "author_name", "text", "created_at"],
        ),
        "poll": district.sink(
            Poll,
            [
                "id",
                "building_id",
                "proposal_id",
                "question",
                "electorate",
                "opens_at",
                "closes_at",
                "quorum_percent",
                "is_secret",
                "results_live",
                "created_by_id",
                "closed_at",
                "outcome",
                "winner_id",
                "household_count",
                "created_at",
            ],
        ),
        "option": district.sink(
            PollOption,
            [
                "id",
                "poll_id",
                "label",
                "kind",
                "position",
                "secret_count",
                "created_at",
            ],
        ),
        "ballot": district.sink(
            Ballot,
            [
                "id",
                "poll_id",
                "household_id",
                "resident_id",
                "slot",
                "option_id",
                "origin",
                "entered_by_id",
                "cast_at",
            ],
        ),
        "convention": district.sink(
            Convention,
            [
                "id",
                "building_id",
                "version",
                "title",
                "text",
                "proposal_id",
                "adopted_by_poll_id",
                "adopted_at",
                "created_at",
            ],
        ),
        "signature": district.sink(
            ConventionSignature,
            [
                "id",
                "convention_id",
                "household_id",
                "resident_id",
                "signer_name",
                "origin",
                "entered_by_id",
                "created_at",
            ],
        ),
        "meeting": district.sink(
            Meeting,
            [
                "id",
                "building_id",
                "title",
                "starts_at",
                "place",
                "minutes",
                "decisions",
                "created_by_id",
                "created_at",
                "updated_at",
            ],
        ),
        "attendance": district.sink(
            MeetingAttendance,
            ["id", "meeting_id", "resident_id", "recorded_by_id", "created_at"],
        ),
    }
    total = district.building_count
    for index, building in enumerate(district.buildings(), start=1):
        issue_ids = [
            _issue(district, building, sinks) for _n in range(district.amount(6))
        ]
        for _n in range(district.amount(1.5)):
            _proposal(district, building, sinks, issue_ids)
        for _n in range(district.amount(1)):
            _meeting(district, building, sinks)
        district.progress.update("proposals", index, total)


def _issue(district, building, sinks) -> int:
    rng, now = district.rng, district.now
    leader = building.leader
    issue_id = district.new_id(Issue)
    reporter = rng.choice(building.people)
    anonymous = rng.random() < 0.1
    on_behalf = reporter.user_id is None or rng.random() < 0.03
    category, title = _weighted(rng, CATEGORIES)
    location = rng.choice(LOCATIONS)
    floor = rng.randint(1, 6) if location == "corridor" else None
    created = district.moment()
    events = sinks["event"]
    if on_behalf:
        events.add(
            district.new_id(IssueEvent),
            issue_id,
            "reported",
            "",
            "submitted",
            leader.user_id,
            leader.name,
            "leader",
            "",
            True,
            created,
        )
    else:
        events.add(
            district.new_id(IssueEvent),
            issue_id,
            "reported",
            "",
            "submitted",
            None if anonymous else reporter.user_id,
            "" if anonymous else reporter.name,
            "reporter",
            "",
            False,
            created,
        )
    status, first_response, resolved_at, moment = "submitted", None, None, created
    (path,) = _weighted(rng, PATHS)
    for step, target in enumerate(path):
        hours = rng.randint(1, 60) if step == 0 else rng.randint(24, 24 * 20)
        when = moment + timedelta(hours=hours, minutes=rng.randint(0, 59))
        if when > now:
            break
        events.add(
            district.new_id(IssueEvent),
            issue_id,
            "status",
            status,
            target,
            leader.user_id,
            leader.name,
            "leader",
            "已联系物业处理。"
            if target != "declined"
            else "属于个人家庭事务，建议邻里协商。",
            False,
            when,
        )
        status, moment = target, when
        first_response = first_response or when
        if target == "resolved":
            resolved_at = when
    satisfaction = ""
    if status == "resolved" and rng.random() < 0.5:
        when = moment + timedelta(hours=rng.randint(1, 72))
        if when <= now:
            satisfaction = "satisfied"
            events.add(
                district.new_id(IssueEvent),
                issue_id,
                "fixed",
                "",
                "",
                None if anonymous else reporter.user_id,
                "" if anonymous else reporter.name,
                "reporter",
                "",
                False,
                when,
            )
            moment = when
    escalated = None
    if status == "submitted" and now - created > timedelta(hours=49):
        escalated = created + timedelta(hours=49)
    sinks["issue"].add(
        issue_id,
        building.id,
        reporter.id,
        leader.user_id if on_behalf else None,
        anonymous,
        category,
        title,
        f"{title}，请楼组长帮忙看看。",
        location,
        floor,
        status,
        first_response,
        resolved_at,
        escalated,
        satisfaction,
        created,
        moment,
    )
    others = [p for p in building.people if p.id != reporter.id]
    end = resolved_at or now
    for supporter in rng.sample(
        others, min(len(others), rng.choice([0, 0, 1, 1, 2, 3, 5, 8]))
    ):
        sinks["support"].add(
            district.new_id(IssueSupport),
            issue_id,
            supporter.id,
            district.moment(created, end),
        )
    if rng.random() < 0.3 and first_response is not None:
        sinks["comment"].add(
            district.new_id(IssueComment),
            issue_id,
            leader.user_id,
            leader.name,
            "leader",
            "收到，我们这周内处理。",
            first_response + timedelta(minutes=5),
        )
    return issue_id


def _proposal(district, building, sinks, issue_ids) -> None:
    rng, now = district.rng, district.now
    author = rng.choice(building.team)
    proposal_id = district.new_id(Proposal)
    kind, title = _weighted(rng, PROPOSALS)
    created = district.moment(district.start, now - timedelta(days=1))
    budget = Decimal(rng.randrange(200, 3000, 50)) if kind == "fund_use" else None
    age = now - created
    if age < timedelta(days=5):
        status = rng.choice(["draft", "discussion"])
    elif rng.random() < 0.06:
        status = "withdrawn"
    else:
        status = "voting"  # a poll decides it (below)
    decided_at, note, updated = None, "", created
    if status == "voting":
        decided = _poll(district, building, sinks, proposal_id, kind, title, created)
        if decided is not None:
            status, decided_at, note = decided
            updated = decided_at
    sinks["proposal"].add(
        proposal_id,
        building.id,
        author.user_id,
        kind,
        title,
        f"{title}：请大家讨论，提出意见。",
        budget,
        status,
        decided_at,
        note,
        created,
        updated,
    )
    if issue_ids and rng.random() < 0.3:
        sinks["origin"].add(
            district.new_id(Proposal.origin_issues.through),
            proposal_id,
            rng.choice(issue_ids),
        )
    commenters = [p for p in building.adults if p.user_id]
    for _n in range(rng.choice([0, 1, 1, 2, 3])):
        person = rng.choice(commenters)
        sinks["pcomment"].add(
            district.new_id(ProposalComment),
            proposal_id,
            person.user_id,
            person.name,
            "我同意，但希望费用公开。",
            district.moment(created, now),
        )


def _poll(district, building, sinks, proposal_id, kind, title, created):
    """Open a poll on the proposal; return (status, decided_at, note) once it has closed."""
    rng, now = district.rng, district.now
    leader = building.leader
    poll_id = district.new_id(Poll)
    per_resident = rng.random() < 0.1
    secret = rng.random() < 0.3
    live = not secret and rng.random() < 0.3
    opens = created + timedelta(days=rng.randint(3, 10), hours=rng.randint(0, 12))
    closes = opens + timedelta(days=7)
    if opens >= now:
        opens = now - timedelta(hours=1)
        closes = opens + timedelta(days=7)
    option_ids = list(district.ids(PollOption, len(OPTIONS)))
    p_yes = rng.uniform(0.45, 0.9)
    turnout = rng.uniform(0.55, 0.95)
    counts: Counter = Counter()
    voters_by_household = building.adults_by_household()
    ended = closes <= now
    last_ballot = min(closes, now)
    households_voted = set()
    for household_id, adults in voters_by_household.items():
        voters = adults if per_resident else [rng.choice(adults)]
        for voter in voters:
            if rng.random() > turnout:
                continue
            roll = rng.random()
            position = (
                0 if roll < p_yes else 1 if roll < p_yes + (1 - p_yes) * 0.7 else 2
            )
            online = voter.user_id is not None
            slot = f"r:{voter.id}" if per_resident else f"h:{household_id}"
            sinks["ballot"].add(
                district.new_id(Ballot),
                poll_id,
                household_id,
                voter.id,
                slot,
                None if secret else option_ids[position],
                "online" if online else "paper",
                None if online else leader.user_id,
                district.moment(opens, last_ballot),
            )
            counts[position] += 1
            households_voted.add(household_id)
    quorum = rng.choice([50, 50, 50, 60, 67])
    outcome, winner_id, household_count, closed_at = "", None, None, None
    if ended:
        household_count = len(building.households)
        decision = decide(
            counts=[
                OptionCount(option_ids[i], label, kind_, counts[i])
                for i, (label, kind_) in enumerate(OPTIONS)
            ],
            households_voted=len(households_voted),
            household_count=household_count,
            quorum_percent=quorum,
        )
        outcome, winner_id, closed_at = decision.outcome, decision.winner_id, closes
    sinks["poll"].add(
        poll_id,
        building.id,
        proposal_id,
        f"是否同意「{title}」？",
        "resident" if per_resident else "household",
        opens,
        closes,
        quorum,
        secret,
        live,
        leader.user_id,
        closed_at,
        outcome,
        winner_id,
        household_count,
        opens,
    )
    for i, (label, option_kind) in enumerate(OPTIONS):
        sinks["option"].add(
            option_ids[i],
            poll_id,
            label,
            option_kind,
            i,
            counts[i] if secret else 0,
            opens,
        )
    if not ended:
        return None
    adopted = outcome == ADOPTED
    note = f"投票结果：{len(households_voted)} / {household_count} 户参与投票"
    if adopted and kind == "convention":
        _convention(district, building, sinks, proposal_id, poll_id, title, closes)
    return ("adopted" if adopted else "rejected", closes, note)


def _convention(
    district, building, sinks, proposal_id, poll_id, title, adopted_at
) -> None:
    rng = district.rng
    sinks["versions"][building.id] += 1
    versions = sinks["versions"][building.id]
    convention_id = district.new_id(Convention)
    sinks["convention"].add(
        convention_id,
        building.id,
        versions,
        title,
        "一、爱护公共设施；二、不高空抛物；三、楼道不堆物。",
        proposal_id,
        poll_id,
        adopted_at,
        adopted_at,
    )
    leader = building.leader
    for household_id, adults in building.adults_by_household().items():
        if rng.random() < 0.5:
            signer = rng.choice(adults)
            online = signer.user_id is not None
            sinks["signature"].add(
                district.new_id(ConventionSignature),
                convention_id,
                household_id,
                signer.id,
                signer.name,
                "online" if online else "paper",
                None if online else leader.user_id,
                district.moment(adopted_at, district.now),
            )


def _meeting(district, building, sinks) -> None:
    rng = district.rng
    leader = building.leader
    meeting_id = district.new_id(Meeting)
    starts = district.daytime(district.moment(), 18, 20)
    past = starts < district.now
    sinks["meeting"].add(
        meeting_id,
        building.id,
        "楼组议事会",
        starts,
        "楼道口",
        "讨论了楼道清洁和自治金使用。" if past else "",
        "一、每月第一个周六清洁楼道。" if past else "",
        leader.user_id,
        starts - timedelta(days=7),
        starts,
    )
    if past:
        for person in rng.sample(
            building.adults, min(len(building.adults), rng.randint(3, 8))
        ):
            sinks["attendance"].add(
                district.new_id(MeetingAttendance),
                meeting_id,
                person.id,
                leader.user_id,
                starts,
            )
