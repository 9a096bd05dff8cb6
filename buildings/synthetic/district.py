"""Synthetic data at district scale, for `manage.py generate_district` and the benchmark.

The root builds communities, buildings, households, users and residents here; every
feature app adds a year of its own data with `<app>/synthetic/district.py`:
`generate_district(district: District) -> None`, found through
`buildings.extensions.feature_modules("synthetic.district")` (buildings imports none of
them). Ids, bulk writing and randomness come from core/synthetic.py. Passwords are unusable
("!" + random, never hashed): nobody logs in as a generated resident until someone sets
a password (the benchmark does, for the few it uses).
"""

import math
import random
import string
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import connection, transaction

from buildings.extensions import feature_modules
from buildings.models import (
    Announcement,
    Building,
    Community,
    Household,
    Resident,
    Skill,
    StaffPost,
    Talent,
    Town,
    User,
)
from core.synthetic import AlreadyGenerated, Generation, Progress

# A Shanghai district: ~565 residential areas, ~480,000 households, ~650,000 residents.
FULL_COMMUNITIES = 565
HOUSEHOLDS_PER_COMMUNITY = (600, 1100)  # uniform: ~850 on average
DISTRICT_NAME = "宝山区（模拟）"
TOWNS = [
    "罗店镇",
    "大场镇",
    "顾村镇",
    "杨行镇",
    "月浦镇",
    "罗泾镇",
    "庙行镇",
    "淞南镇",
    "高境镇",
    "友谊路街道",
    "吴淞街道",
    "张庙街道",
]
AREA_WORDS = "宝欣 馨佳 美罗 罗溪 丰翔 通河 泰和 共康 乾溪 淞南 高境 庙行 顾北 菊泉 盛桥 月浦 杨鑫 祁连 聚源 文化 锦秋 陈行 永清 海江 春雷".split()
ORDINALS = "一二三四五六七八九十"
# Households per building (walk-ups to high-rises) and how often each occurs: ~31 a building.
BUILDING_SIZES = [
    (12, 10),
    (18, 20),
    (24, 25),
    (30, 15),
    (36, 10),
    (48, 10),
    (64, 6),
    (96, 4),
]
# Residents registered per household (0 = the household has not joined): ~1.35 a household.
RESIDENTS_PER_HOUSEHOLD = [(0, 17), (1, 45), (2, 27), (3, 8), (4, 3)]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁沈姚卢姜崔钟谭陆汪范金石廖贾夏方邹孟熊秦邱江薛顾毛钱严汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红娥玲芬燕国建文斌辉力鹏凤琴云志雪梅宇浩凯健俊帆晨阳佳欣怡"
SKILLS = ["理发", "修水管", "种花", "书法", "电脑", "修自行车", "心理疏导", "法律咨询"]
PASSWORD_CHARS = string.ascii_letters + string.digits


# --- The plan apps see ---------------------------------------------------------------


@dataclass(slots=True)
class Person:
    """An approved resident, as the feature generators need them."""

    id: int
    household_id: int
    user_id: int | None
    name: str
    is_adult: bool


@dataclass
class BuildingPlan:
    id: int
    community_id: int
    number: str
    households: list[int]
    rooms: list[str]
    people: list[Person] = field(default_factory=list)  # approved residents
    leader: Person | None = None
    team: list[Person] = field(default_factory=list)  # leader first

    @property
    def adults(self) -> list[Person]:
        return [p for p in self.people if p.is_adult]

    def adults_by_household(self) -> dict[int, list[Person]]:
        found: dict[int, list[Person]] = {}
        for person in self.people:
            if person.is_adult:
                found.setdefault(person.household_id, []).append(person)
        return found


@dataclass
class CommunityPlan:
    id: int
    name: str
    buildings: list[BuildingPlan] = field(default_factory=list)


class District(Generation):
    """A district being generated: the plan so far (communities, buildings, people)."""

    def __init__(
        self,
        *,
        communities: int,
        seed: int = 2026,
        intensity: float = 1.0,
        buildings_per_community: int | None = None,
        households_per_building: int | None = None,
        progress: Progress | None = None,
        now: datetime | None = None,
        district_name: str = DISTRICT_NAME,
    ):
        super().__init__(seed=seed, intensity=intensity, progress=progress, now=now)
        self.district_name = district_name
        self.community_count = communities
        self.buildings_per_community = buildings_per_community
        self.households_per_building = households_per_building
        self.communities: list[CommunityPlan] = []
        self.staff_user_id: int | None = None

    def person_name(self) -> str:
        rng = self.rng
        given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
        return rng.choice(SURNAMES) + given

    def buildings(self):
        for community in self.communities:
            yield from community.buildings

    @property
    def building_count(self) -> int:
        return sum(len(c.buildings) for c in self.communities)


def _weighted(rng: random.Random, table):
    values, weights = zip(*table, strict=True)
    return rng.choices(values, weights=weights)[0]


def rooms_for(size: int) -> list[str]:
    """Room numbers as on the doors: 101, 102 … 602 (floor, then unit)."""
    per_floor = 2 if size <= 12 else 3 if size <= 18 else 4 if size <= 64 else 6
    floors = math.ceil(size / per_floor)
    return [
        f"{floor}{unit:02d}"
        for floor in range(1, floors + 1)
        for unit in range(1, per_floor + 1)
    ][:size]


def already_generated(district_name: str = DISTRICT_NAME) -> bool:
    return Community.objects.filter(district=district_name).exists()


# --- The root: communities, buildings, households, people ----------------------------


def generate_people(district: District) -> None:
    """Communities, buildings, households, users and residents (+ talents, announcements)."""
    rng = district.rng
    now = district.now
    communities = district.sink(
        Community, ["id", "name", "town_id", "district", "description", "created_at"]
    )
    buildings = district.sink(
        Building,
        [
            "id",
            "community_id",
            "number",
            "name",
            "is_pilot",
            "description",
            "created_at",
        ],
    )
    households = district.sink(Household, ["id", "building_id", "room", "created_at"])
    users = district.sink(
        User, ["id", "phone", "name", "password", "created_at", "is_staff"]
    )
    residents = district.sink(
        Resident,
        (
            "id user_id household_id building_id name is_adult status role decided_by_id"
            " decided_at registered_by_id is_party_member shows_party_badge created_at"
        ).split(),
    )
    talents = district.sink(
        Talent, ["id", "resident_id", "skill_id", "offer", "created_at"]
    )
    announcements = district.sink(
        Announcement,
        [
            "id",
            "community_id",
            "building_id",
            "title",
            "body",
            "pinned",
            "published_at",
            "author_id",
            "created_at",
        ],
    )
    staff_posts = district.sink(
        StaffPost, ["id", "user_id", "community_id", "town_id", "created_at"]
    )
    skill_ids = [Skill.objects.get_or_create(name=name)[0].pk for name in SKILLS]
    town_ids = [
        Town.objects.get_or_create(district=district.district_name, name=name)[0].pk
        for name in TOWNS
    ]
    staff_id = district.new_id(User)
    users.add(
        staff_id,
        f"19{staff_id:09d}",
        "区模拟书记",
        _password(rng),
        now - timedelta(days=900),
        True,  # staff of every town: the dashboards
    )
    district.staff_user_id = staff_id
    for town_id in town_ids:
        staff_posts.add(
            district.new_id(StaffPost),
            staff_id,
            None,
            town_id,
            now - timedelta(days=900),
        )

    total = district.community_count
    used_names: set[str] = set()
    for c_index in range(total):
        community_id = district.new_id(Community)
        town_id = town_ids[c_index % len(TOWNS)]
        name = _community_name(rng, used_names)
        communities.add(
            community_id,
            name,
            town_id,
            district.district_name,
            "",
            now - timedelta(days=1000),
        )
        # The community's own branch worker (居委社工), staff of this community only.
        worker_id = district.new_id(User)
        users.add(
            worker_id,
            f"19{worker_id:09d}",
            district.person_name(),
            _password(rng),
            now - timedelta(days=900),
            True,
        )
        staff_posts.add(
            district.new_id(StaffPost),
            worker_id,
            community_id,
            None,
            now - timedelta(days=900),
        )
        plan = CommunityPlan(id=community_id, name=name)
        district.communities.append(plan)
        sizes = _building_sizes(district)
        for b_index, size in enumerate(sizes, start=1):
            number = f"{b_index}号楼"
            building_id = district.new_id(Building)
            is_pilot = rng.random() < 0.1
            buildings.add(
                building_id,
                community_id,
                number,
                "",
                is_pilot,
                "",
                now - timedelta(days=1000),
            )
            rooms = rooms_for(size)
            first = district.ids(Household, size)[0]
            building = BuildingPlan(
                id=building_id,
                community_id=community_id,
                number=number,
                households=list(range(first, first + size)),
                rooms=rooms,
            )
            plan.buildings.append(building)
            for household_id, room in zip(building.households, rooms, strict=True):
                households.add(
                    household_id, building_id, room, now - timedelta(days=900)
                )
            _people_of_building(
                district, building, users, residents, talents, skill_ids
            )
            for _n in range(district.amount(4)):
                when = district.moment()
                announcements.add(
                    district.new_id(Announcement),
                    community_id,
                    building_id,
                    rng.choice(ANNOUNCEMENTS),
                    "请各位邻居相互转告，谢谢配合。",
                    False,
                    when,
                    building.leader.user_id,
                    when,
                )
        for _n in range(district.amount(12)):
            when = district.moment()
            announcements.add(
                district.new_id(Announcement),
                community_id,
                None,
                rng.choice(ANNOUNCEMENTS),
                "居委会通知：请居民朋友们留意。",
                rng.random() < 0.05,
                when,
                staff_id,
                when,
            )
        district.progress.update("people", c_index + 1, total)
    district.flush()


ANNOUNCEMENTS = [
    "楼道清洁日",
    "停水通知",
    "电梯维保",
    "垃圾分类宣传",
    "消防安全检查",
    "疫苗接种提醒",
    "高空抛物宣传",
    "楼组议事会通知",
]


def _password(rng: random.Random) -> str:
    return UNUSABLE_PASSWORD_PREFIX + "".join(rng.choices(PASSWORD_CHARS, k=40))


def _community_name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = f"{rng.choice(AREA_WORDS)}{rng.choice(['苑', '园', '新村', '家园', '小区'])}第{rng.choice(ORDINALS)}居民区"
        if name not in used:
            used.add(name)
            return name


def _building_sizes(district: District) -> list[int]:
    rng = district.rng
    if district.buildings_per_community is not None:
        count = district.buildings_per_community
        if district.households_per_building is not None:
            return [district.households_per_building] * count
        return [_weighted(rng, BUILDING_SIZES) for _n in range(count)]
    target = rng.randint(*HOUSEHOLDS_PER_COMMUNITY)
    sizes: list[int] = []
    while sum(sizes) < target:
        sizes.append(district.households_per_building or _weighted(rng, BUILDING_SIZES))
    return sizes


def _people_of_building(
    district, building: BuildingPlan, users, residents, talents, skill_ids
) -> None:
    rng, now = district.rng, district.now
    pending_from = now - timedelta(days=20)
    new_people: list[tuple] = []  # (household_id, name, adult, has_account, status)
    for household_id in building.households:
        count = _weighted(rng, RESIDENTS_PER_HOUSEHOLD)
        if household_id == building.households[0]:
            count = max(count, 1)  # the leader's household
        for n in range(count):
            adult = n == 0 or rng.random() < 0.8
            has_account = adult and rng.random() < 0.8
            roll = rng.random()
            status = (
                "approved"
                if roll < 0.96 or not has_account
                else "pending"
                if roll < 0.99
                else "left"
            )
            new_people.append(
                (household_id, district.person_name(), adult, has_account, status)
            )
    # The first person of the first household leads; the next two with accounts form the team.
    leader_user = None
    for index, (household_id, name, adult, has_account, status) in enumerate(
        new_people
    ):
        resident_id = district.new_id(Resident)
        if index == 0:
            adult, has_account, status, role = True, True, "approved", "leader"
        elif len(building.team) < 3 and has_account and status == "approved":
            role = "team"
        else:
            role = "resident"
        user_id = district.new_id(User) if has_account else None
        joined = district.moment(now - timedelta(days=1100), now - timedelta(days=30))
        if status == "pending":
            joined = district.moment(pending_from, now)
        if user_id is not None:
            users.add(user_id, f"19{user_id:09d}", name, _password(rng), joined, False)
        if status == "pending":
            decided_by = None
        else:
            decided_by = district.staff_user_id if index == 0 else leader_user
        registered_by = None if has_account else leader_user
        party = adult and rng.random() < 0.08
        residents.add(
            resident_id,
            user_id,
            household_id,
            building.id,
            name,
            adult,
            status,
            role,
            decided_by,
            None
            if decided_by is None
            else joined + timedelta(hours=rng.randint(1, 48)),
            registered_by,
            party,
            party and rng.random() < 0.5,
            joined,
        )
        if status != "approved":
            continue
        person = Person(resident_id, household_id, user_id, name, adult)
        building.people.append(person)
        if role == "leader":
            building.leader, leader_user = person, user_id
        if role in ("leader", "team"):
            building.team.append(person)
        if adult and rng.random() < 0.04:
            talents.add(
                district.new_id(Talent), resident_id, rng.choice(skill_ids), "", joined
            )


# --- The whole run ------------------------------------------------------------------


def generate(district: District) -> dict[str, int]:
    """Build the district in one transaction; refuse if one was generated before."""
    started = time.monotonic()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with (
                connection.cursor() as cursor
            ):  # two runs at once: the second waits, then refuses
                cursor.execute("SELECT pg_advisory_xact_lock(20260808)")
        if already_generated(district.district_name):
            raise AlreadyGenerated(
                f"The database already holds the generated district “{district.district_name}”."
            )
        generate_people(district)
        for _app, module in feature_modules("synthetic.district"):
            module.generate_district(district)
            district.flush()
        district.reset_sequences()
    district.progress.finish()
    district.analyze()
    district.seconds = time.monotonic() - started
    return district.counts
