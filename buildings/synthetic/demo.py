"""Demo data: 宝欣苑第一居民区 with buildings, households and residents in every role.

Idempotent: running it again changes nothing that is already there. `manage.py seed_demo`
runs seed_community() and then every app's `<app>/synthetic/demo.py`
`seed_demo(community)`.
"""

from django.contrib.auth.models import Group, Permission
from django.utils import timezone

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
from core.apps import project_app_configs

DEMO_PASSWORD = "louzu-demo-2026"

BUILDINGS = [
    ("8号楼", "", True),
    ("16号楼", "", True),
    ("3号楼", "", False),
    ("5号楼", "", False),
    ("12号楼", "", False),
]
# phone, name, building, room, role, is_staff
PEOPLE = [
    ("13800000001", "王建华", "8号楼", "101", Resident.Role.LEADER, False),
    ("13800000002", "李秀英", "8号楼", "202", Resident.Role.TEAM, False),
    ("13800000003", "张阿姨", "8号楼", "302", Resident.Role.RESIDENT, False),
    ("13800000004", "陈小明", "8号楼", "302", Resident.Role.RESIDENT, False),
    ("13800000005", "刘伟", "16号楼", "401", Resident.Role.LEADER, False),
    ("13800000006", "赵丽", "16号楼", "502", Resident.Role.RESIDENT, False),
    ("13800000007", "孙强", "3号楼", "201", Resident.Role.LEADER, False),
    ("13800000007", "孙强", "12号楼", "101", Resident.Role.LEADER, False),
    ("13800000009", "周书记", None, None, None, True),
    ("13800000010", "吴镇长", None, None, None, True),
    ("13800000011", "郑主任", "16号楼", "101", Resident.Role.RESIDENT, True),
]
DEMO_LOGINS = [
    ("resident", "13800000003"),
    ("team member", "13800000002"),
    ("building leader", "13800000001"),
    ("leader of two buildings", "13800000007"),
    ("branch staff", "13800000009"),
    ("town staff", "13800000010"),
    ("staff living in 16号楼", "13800000011"),
]
# 周书记 and 郑主任 are the community's branch staff, 吴镇长 the town's (罗店镇); 孙强
# leads 3号楼 and 12号楼 (a person with roles in two buildings).
COMMUNITY_STAFF = {"13800000009", "13800000011"}
TOWN_STAFF = {"13800000010"}
STAFF_GROUP = "居委工作人员"


def staff_group() -> Group:
    """The admin permissions of daily work, for branch and town staff (they see only
    their communities: buildings.admin_scope). Not the anonymous reporter's."""
    group, created = Group.objects.get_or_create(name=STAFF_GROUP)
    if created:
        labels = [config.label for config in project_app_configs()]
        group.permissions.set(
            Permission.objects.filter(content_type__app_label__in=labels).exclude(
                codename="view_anonymous_reporter"
            )
        )
    return group


def seed_community() -> Community:
    """The community, its buildings and households, people in every role, talents and
    announcements (call inside a transaction)."""
    town, _created = Town.objects.get_or_create(district="宝山区", name="罗店镇")
    community, _created = Community.objects.get_or_create(
        name="宝欣苑第一居民区",
        defaults={
            "town": town,
            "district": "宝山区",
            "description": "您举手、我搭台：楼组自治，从身边事做起。",
        },
    )
    if community.town_id is None:
        community.town = town
        community.save(update_fields=["town"])
    buildings = {}
    for number, name, pilot in BUILDINGS:
        building, _created = Building.objects.get_or_create(
            community=community,
            number=number,
            defaults={"name": name, "is_pilot": pilot},
        )
        buildings[number] = building
        for floor in range(1, 7):
            for unit in (1, 2):
                Household.objects.get_or_create(
                    building=building, room=f"{floor}0{unit}"
                )

    people = {}
    for phone, name, number, room, role, is_staff in PEOPLE:
        user = User.objects.filter(phone=phone).first()
        if user is None:
            user = User.objects.create_user(
                phone, DEMO_PASSWORD, name=name, is_staff=is_staff
            )
        if is_staff:
            user.groups.add(staff_group())
        if phone in COMMUNITY_STAFF:
            StaffPost.objects.get_or_create(user=user, community=community)
        if phone in TOWN_STAFF:
            StaffPost.objects.get_or_create(user=user, town=town)
        people[phone] = user
        if number:
            household = Household.objects.get(building=buildings[number], room=room)
            Resident.objects.get_or_create(
                user=user,
                household=household,
                defaults={
                    "name": name,
                    "role": role,
                    "status": Resident.Status.APPROVED,
                    "decided_at": timezone.now(),
                    "is_party_member": phone in {"13800000001", "13800000002"},
                    "shows_party_badge": phone in {"13800000001", "13800000002"},
                },
            )
    leader = people["13800000001"]
    b8 = buildings["8号楼"]
    if not Resident.objects.filter(name="钱奶奶", household__building=b8).exists():
        Resident.objects.create(
            household=Household.objects.get(building=b8, room="501"),
            name="钱奶奶",
            contact_phone="021-5686xxxx",
            status=Resident.Status.APPROVED,
            registered_by=leader,
            decided_by=leader,
            decided_at=timezone.now(),
        )
    # A pending request, so the leader has something to approve.
    applicant = User.objects.filter(phone="13800000008").first()
    if applicant is None:
        applicant = User.objects.create_user("13800000008", DEMO_PASSWORD, name="吴芳")
        Resident.objects.create(
            user=applicant,
            household=Household.objects.get(building=b8, room="601"),
            name="吴芳",
        )

    for phone, skill, offer in [
        ("13800000002", "养花", "教邻居种花、打理一尺花园"),
        ("13800000004", "电脑维修", "帮老人设置手机、修电脑"),
        ("13800000003", "理发", "每月一次为行动不便的老人理发"),
    ]:
        resident = Resident.objects.get(user__phone=phone)
        Talent.objects.get_or_create(
            resident=resident,
            skill=Skill.objects.get_or_create(name=skill)[0],
            defaults={"offer": offer},
        )
    Resident.objects.filter(user__phone="13800000003").update(
        talent_visibility=Resident.Visibility.COMMUNITY
    )

    Announcement.objects.get_or_create(
        community=community,
        building=None,
        title="活力楼组试点启动",
        defaults={
            "body": "8号楼、16号楼作为首批“活力楼组”试点，欢迎居民扫码加入本楼楼组，一起议事、一起行动。",
            "pinned": True,
            "author": people["13800000009"],
        },
    )
    Announcement.objects.get_or_create(
        community=community,
        building=b8,
        title="本周六楼道清洁日",
        defaults={
            "body": "周六上午9点在一楼门厅集合，清理楼道堆物，请各户配合。",
            "author": leader,
        },
    )
    return community
