"""Demo activities for 宝欣苑第一居民区: a full parent-child activity with a waiting list,
a community-wide flower lecture, last week's clean-up with check-ins and a recap, and
the one-foot garden watering rota. Idempotent: keyed on titles, nothing is added twice.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from activities.models import Activity, Registration, Shift, Task
from buildings.models import Building, Resident, User


def _at(days: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _register(
    activity, resident, status, adults=1, children=0, attendance="unknown", by=None
):
    Registration.objects.get_or_create(
        activity=activity,
        resident=resident,
        defaults={
            "household": resident.household,
            "adults": adults,
            "children": children,
            "status": status,
            "attendance": attendance,
            "confirmed_at": timezone.now() if status == "confirmed" else None,
            "checked_in_at": timezone.now() if attendance == "checked_in" else None,
            "registered_by": by,
        },
    )


def seed_demo(community) -> None:
    b8 = Building.objects.filter(community=community, number="8号楼").first()
    leader = User.objects.filter(phone="13800000001").first()
    staff = User.objects.filter(phone="13800000009").first()
    if b8 is None or leader is None or staff is None:
        return
    people = {
        r.name: r
        for r in Resident.objects.approved().in_building(b8).select_related("household")
    }
    li, zhang, wang, qian = (
        people.get(n) for n in ("李秀英", "张阿姨", "王建华", "钱奶奶")
    )
    if not all([li, zhang, wang, qian]):
        return
    saturday = (5 - timezone.localdate().weekday()) % 7 or 7  # next Saturday

    planting, _created = Activity.objects.get_or_create(
        community=community,
        building=b8,
        title="一尺花园亲子种花",
        defaults={
            "kind": Activity.Kind.PARENT_CHILD,
            "text": "大手牵小手，一起给楼前的一尺花园种上月季和薄荷。花苗和手套由楼组自治金提供。",
            "starts_at": _at(saturday, 9, 30),
            "ends_at": _at(saturday, 11, 0),
            "signup_deadline": _at(saturday - 1, 20, 0),
            "place": "8号楼楼前一尺花园",
            "capacity": 4,
            "organiser": li,
            "max_adults_per_household": 1,
            "max_children_per_household": 1,
            "created_by": leader,
        },
    )
    _register(planting, li, "confirmed", children=1)
    _register(planting, zhang, "confirmed", children=1)
    _register(planting, wang, "waitlisted")
    _register(planting, qian, "waitlisted", by=leader)

    Activity.objects.get_or_create(
        community=community,
        building=None,
        title="居民区养花讲座",
        defaults={
            "kind": Activity.Kind.FLOWER_LECTURE,
            "text": "请社区绿化达人讲讲阳台和楼道里的花怎么养，欢迎带着自家的花来提问。",
            "starts_at": _at(saturday + 7, 14, 0),
            "ends_at": _at(saturday + 7, 15, 30),
            "signup_deadline": _at(saturday + 6, 20, 0),
            "place": "居委会活动室",
            "capacity": 30,
            "created_by": staff,
        },
    )

    cleanup, created = Activity.objects.get_or_create(
        community=community,
        building=b8,
        title="楼道清洁日",
        defaults={
            "kind": Activity.Kind.CLEAN_UP,
            "text": "清理楼道堆物，擦洗扶手和信箱。",
            "starts_at": _at(-7, 9, 0),
            "ends_at": _at(-7, 11, 0),
            "signup_deadline": _at(-8, 20, 0),
            "place": "8号楼一楼门厅集合",
            "capacity": 10,
            "organiser": wang,
            "counts_as_volunteering": True,
            "recap": "六户人家一起动手，清出三车堆物，楼道亮堂多了。谢谢大家！",
            "created_by": leader,
        },
    )
    _register(cleanup, wang, "confirmed", attendance="checked_in")
    _register(cleanup, li, "confirmed", attendance="checked_in")
    _register(cleanup, zhang, "confirmed", attendance="no_show")

    task, created = Task.objects.get_or_create(
        building=b8,
        title="一尺花园浇水",
        defaults={
            "kind": Task.Kind.GARDEN,
            "description": "每周六早上8点给楼前一尺花园浇水，水壶在门厅储物柜里。",
            "place": "8号楼楼前一尺花园",
            "created_by": leader,
        },
    )
    if created:
        first = _at(saturday - 14, 8, 0)
        shifts = [
            Shift(
                task=task,
                starts_at=first + timedelta(weeks=w),
                ends_at=first + timedelta(weeks=w, minutes=30),
            )
            for w in range(8)
        ]
        Shift.objects.bulk_create(shifts)
        shifts = list(task.shifts.order_by("starts_at"))
        for shift, volunteer, done in [
            (shifts[0], li, True),
            (shifts[1], zhang, True),
            (shifts[2], li, False),
            (shifts[3], zhang, False),
        ]:
            shift.volunteer = volunteer
            if done:
                shift.done_at, shift.done_by = shift.ends_at, leader
            shift.save()
        shifts[3].swap_wanted = True
        shifts[3].save(update_fields=["swap_wanted"])

    Task.objects.get_or_create(
        building=b8,
        title="门厅清洁轮值",
        defaults={
            "kind": Task.Kind.LOBBY,
            "description": "每周一次擦门厅和信箱。",
            "created_by": leader,
        },
    )
