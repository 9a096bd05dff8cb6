"""A year of activities and volunteer rotas for generated buildings (generate_district).

Per building and year, on average: 4 activities of its own, plus 10 community-wide ones
per community, each with sign-ups up to its capacity (then a waiting list, a few
cancellations, check-ins once it has happened). One building in three keeps a weekly
rota (the one-foot garden or the lobby), with its shifts for the year and the eight
weeks to come. Capacity is never exceeded: confirmed party sizes add up to at most it.
"""

from datetime import timedelta

from activities.models import Activity, Registration, Shift, Task

KINDS = [
    ("parent_child", "亲子手工课", "社区活动室"),
    ("flower_lecture", "养花讲座", "社区活动室"),
    ("garden_workday", "一尺花园劳动日", "楼前花园"),
    ("clean_up", "楼道大扫除", "楼道"),
    ("other", "邻里百家宴", "小区广场"),
]
TASKS = [("garden", "一尺花园浇水", "楼前花园"), ("lobby", "大堂值班", "大堂")]


def generate_district(district) -> None:
    sinks = {
        "activity": district.sink(
            Activity,
            [
                "id",
                "community_id",
                "building_id",
                "kind",
                "title",
                "text",
                "starts_at",
                "ends_at",
                "place",
                "capacity",
                "signup_deadline",
                "organiser_id",
                "max_adults_per_household",
                "max_children_per_household",
                "counts_as_volunteering",
                "recap",
                "created_by_id",
                "created_at",
                "updated_at",
            ],
        ),
        "registration": district.sink(
            Registration,
            [
                "id",
                "activity_id",
                "resident_id",
                "household_id",
                "adults",
                "children",
                "status",
                "attendance",
                "checked_in_at",
                "confirmed_at",
                "cancelled_at",
                "registered_by_id",
                "created_at",
            ],
        ),
        "task": district.sink(
            Task,
            [
                "id",
                "building_id",
                "kind",
                "title",
                "description",
                "place",
                "created_by_id",
                "created_at",
            ],
        ),
        "shift": district.sink(
            Shift,
            [
                "id",
                "task_id",
                "starts_at",
                "ends_at",
                "volunteer_id",
                "done_at",
                "done_by_id",
                "created_at",
            ],
        ),
    }
    total = district.building_count
    done = 0
    for community in district.communities:
        everyone = [p for b in community.buildings for p in b.adults]
        for _n in range(district.amount(10)):
            _activity(
                district,
                sinks,
                community.id,
                None,
                everyone,
                None,
                district.staff_user_id,
            )
        for building in community.buildings:
            team = [p for p in building.team if p.user_id]
            for _n in range(district.amount(4)):
                organiser = district.rng.choice(team)
                _activity(
                    district,
                    sinks,
                    community.id,
                    building.id,
                    building.adults,
                    organiser.id,
                    organiser.user_id,
                )
            if district.rng.random() < 0.35:
                _rota(district, sinks, building)
            done += 1
            district.progress.update("activities", done, total)


def _activity(
    district, sinks, community_id, building_id, people, organiser_id, created_by
) -> None:
    rng, now = district.rng, district.now
    activity_id = district.new_id(Activity)
    kind, title, place = rng.choice(KINDS)
    starts = district.daytime(
        district.moment(district.start, now + timedelta(days=30)), 9, 19
    )
    ends = starts + timedelta(hours=rng.choice([1, 2, 2, 3]))
    deadline = starts - timedelta(days=1)
    created = deadline - timedelta(days=rng.randint(3, 14))
    capacity = rng.choice([10, 15, 20, 30, 40]) * (2 if building_id is None else 1)
    parent_child = kind == "parent_child"
    sinks["activity"].add(
        activity_id,
        community_id,
        building_id,
        kind,
        title,
        f"{title}，欢迎邻居们报名参加。",
        starts,
        ends,
        place,
        capacity,
        deadline,
        organiser_id,
        1 if parent_child else None,
        1 if parent_child else None,
        kind in ("garden_workday", "clean_up"),
        "活动圆满结束，感谢大家参与！" if ends < now else "",
        created_by,
        created,
        created,
    )
    happened = ends < now
    demand = int(capacity * rng.uniform(0.3, 1.4))
    seats = capacity
    sign_up_end = min(deadline, now)
    for person in rng.sample(people, min(len(people), demand)):
        adults = 1 if parent_child else rng.choice([1, 1, 1, 2])
        children = 1 if parent_child else 0
        party = adults + children
        signed = (
            district.moment(created, sign_up_end) if sign_up_end > created else created
        )
        if rng.random() < 0.06:
            status, cancelled = (
                "cancelled",
                signed + timedelta(hours=rng.randint(1, 24)),
            )
            cancelled = min(cancelled, now)
        elif party <= seats:
            status, cancelled = "confirmed", None
            seats -= party
        else:
            status, cancelled = "waitlisted", None
        attendance, checked_in = "unknown", None
        if status == "confirmed" and happened:
            if rng.random() < 0.85:
                attendance, checked_in = (
                    "checked_in",
                    starts + timedelta(minutes=rng.randint(0, 20)),
                )
            else:
                attendance = "no_show"
        sinks["registration"].add(
            district.new_id(Registration),
            activity_id,
            person.id,
            person.household_id,
            adults,
            children,
            status,
            attendance,
            checked_in,
            signed if status == "confirmed" else None,
            cancelled,
            person.user_id or created_by,  # 代录: the organiser signed them up
            signed,
        )


def _rota(district, sinks, building) -> None:
    rng, now = district.rng, district.now
    leader = building.leader
    task_id = district.new_id(Task)
    kind, title, place = rng.choice(TASKS)
    sinks["task"].add(
        task_id,
        building.id,
        kind,
        title,
        "每周一次，一小时。",
        place,
        leader.user_id,
        district.start,
    )
    volunteers = rng.sample(
        building.adults, min(len(building.adults), rng.randint(2, 6))
    )
    first = district.daytime(district.start, 8, 9)
    for week in range(52 + 8):
        starts = first + timedelta(weeks=week)
        ends = starts + timedelta(hours=1)
        volunteer = (
            rng.choice(volunteers)
            if rng.random() < (0.85 if ends < now else 0.4)
            else None
        )
        done_at = done_by = None
        if volunteer is not None and ends < now:
            done_at, done_by = min(ends + timedelta(minutes=10), now), leader.user_id
        sinks["shift"].add(
            district.new_id(Shift),
            task_id,
            starts,
            ends,
            volunteer.id if volunteer else None,
            done_at,
            done_by,
            district.start,
        )
