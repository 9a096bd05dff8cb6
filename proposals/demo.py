"""Demo issues for 宝欣苑第一居民区: one in every status, written through the services.

Idempotent: an issue whose title already exists in its building is left alone.
"""

import io
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from buildings.models import Resident, User
from buildings.permissions import access_for
from proposals import services
from proposals.models import Issue


def _photo(color: str, label: str) -> ContentFile:
    image = Image.new("RGB", (640, 480), color)
    draw = ImageDraw.Draw(image)
    draw.rectangle([180, 80, 460, 420], outline="black", width=8)
    draw.text((200, 30), label, fill="black")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return ContentFile(out.getvalue(), name=f"{label}.jpg")


def _resident(phone: str) -> Resident | None:
    return (
        Resident.objects.approved()
        .filter(user__phone=phone)
        .select_related("household", "user")
        .first()
    )


def _backdate(issue: Issue, hours: int) -> None:
    """Demo history: move an issue and its timeline back in time."""
    moved = timezone.now() - timedelta(hours=hours)
    Issue.objects.filter(pk=issue.pk).update(created_at=moved)
    issue.events.filter(kind="reported").update(created_at=moved)


def seed_demo(community) -> None:
    building = community.buildings.filter(number="8号楼").first()
    leader_user = User.objects.filter(phone="13800000001").first()
    if building is None or leader_user is None:
        return
    zhang, chen, li = (
        _resident("13800000003"),
        _resident("13800000004"),
        _resident("13800000002"),
    )
    qian = (
        Resident.objects.approved()
        .filter(name="钱奶奶", household__building=building)
        .first()
    )
    if not all([zhang, chen, li, qian]):
        return
    leader = access_for(leader_user, building)
    existing = set(building.issues.values_list("title", flat=True))

    def report(title, reporter, entered_by, hours_ago, **fields):
        if title in existing:
            return None
        issue = services.report_issue(
            building=building,
            reporter=reporter,
            entered_by=entered_by,
            title=title,
            **fields,
        )
        _backdate(issue, hours_ago)
        return issue

    def move(issue, to_status, reason="", **kwargs):
        return services.change_issue_status(
            issue=issue,
            access=leader,
            actor=leader_user,
            to_status=to_status,
            reason=reason,
            **kwargs,
        )

    door = report(
        "大堂铁门关不上",
        zhang,
        zhang.user,
        72,
        category=Issue.Category.FACILITIES,
        text="铁门的闭门器坏了,门一直开着,晚上有陌生人进出。",
        location=Issue.Location.LOBBY,
        photos=[_photo("#b0b0b0", "door")],
    )
    if door:
        services.support_issue(issue=door, resident=chen)
        move(door, Issue.Status.ACKNOWLEDGED, "已联系物业报修。")
        move(door, Issue.Status.IN_PROGRESS, "物业说闭门器要订货,预计下周二更换。")

    thrown = report(
        "有人从楼上扔垃圾",
        chen,
        chen.user,
        30,
        category=Issue.Category.THROWN_OBJECTS,
        text="晚上九点左右,楼下草坪经常出现饮料瓶和烟头。",
        location=Issue.Location.OUTSIDE,
        anonymous=True,
    )
    if thrown:
        services.support_issue(issue=thrown, resident=zhang)
        move(thrown, Issue.Status.ACKNOWLEDGED, "已在各楼层贴提醒,楼组长上门宣传。")

    lobby = report(
        "大堂环境脏乱,广告贴满墙",
        li,
        li.user,
        240,
        category=Issue.Category.SANITATION,
        text="门厅墙上小广告很多,地上有积灰。",
        location=Issue.Location.LOBBY,
        photos=[_photo("#c8b88a", "lobby-before")],
    )
    if lobby:
        services.support_issue(issue=lobby, resident=zhang)
        move(lobby, Issue.Status.IN_PROGRESS, "周六楼道清洁日一起清理。")
        move(
            lobby,
            Issue.Status.RESOLVED,
            "志愿者清理了小广告,重新刷了墙。",
            after_photos=[_photo("#f4f4f0", "lobby-after")],
        )
        services.give_issue_feedback(
            issue=lobby,
            access=access_for(zhang.user, building),
            author=zhang.user,
            fixed=True,
            is_supporter=True,
        )

    clutter = report(
        "三楼楼道堆满纸箱",
        zhang,
        zhang.user,
        120,
        category=Issue.Category.CORRIDOR_CLUTTER,
        text="纸箱和旧家具挡住了消防通道。",
        location=Issue.Location.CORRIDOR,
        floor=3,
    )
    if clutter:
        services.support_issue(issue=clutter, resident=chen)
        move(
            clutter,
            Issue.Status.DELIBERATING,
            "涉及几户人家,提交下次议事会商量清理办法和公约。",
        )

    report(
        "电瓶车停在门厅充电",
        qian,
        leader_user,
        60,
        category=Issue.Category.BICYCLES,
        text="钱奶奶说晚上门厅停满电瓶车,有人拉线充电,她怕着火,出门也不方便。",
        location=Issue.Location.LOBBY,
    )

    parcel = report(
        "希望在楼下装快递柜",
        chen,
        chen.user,
        200,
        category=Issue.Category.OTHER,
        text="快递经常放在门口被拿走。",
        location=Issue.Location.OUTSIDE,
    )
    if parcel:
        move(
            parcel,
            Issue.Status.DECLINED,
            "小区快递柜由物业统一规划,已转告物业;楼组层面无法单独安装。",
        )
