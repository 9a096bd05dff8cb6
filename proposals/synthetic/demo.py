"""Demo data for 宝欣苑第一居民区, written through the services: issues in every status;
in 8号楼 a naming poll, a convention, a decision, a meeting and a consultation.

Idempotent: an issue or a deliberation piece whose title already exists in its
building is left alone.
"""

import io
from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from buildings.models import Building, Household, Resident, User
from buildings.permissions import access_for
from proposals.deliberation.consultations import services as consultation_services
from proposals.deliberation.consultations.models import Consultation
from proposals.deliberation.conventions import services as convention_services
from proposals.deliberation.meetings import services as meeting_services
from proposals.deliberation.meetings.models import Meeting
from proposals.deliberation.polls import services as poll_services
from proposals.deliberation.proposals import services as proposal_services
from proposals.deliberation.proposals.models import Proposal
from proposals.issues import services
from proposals.issues.models import Issue


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
    seed_issue_demo(community)
    seed_deliberation_demo(community)


def seed_issue_demo(community) -> None:
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
        text="铁门的闭门器坏了，门一直开着，晚上有陌生人进出。",
        location=Issue.Location.LOBBY,
        photos=[_photo("#b0b0b0", "door")],
    )
    if door:
        services.support_issue(issue=door, resident=chen)
        move(door, Issue.Status.ACKNOWLEDGED, "已联系物业报修。")
        move(door, Issue.Status.IN_PROGRESS, "物业说闭门器要订货，预计下周二更换。")

    thrown = report(
        "有人从楼上扔垃圾",
        chen,
        chen.user,
        30,
        category=Issue.Category.THROWN_OBJECTS,
        text="晚上九点左右，楼下草坪经常出现饮料瓶和烟头。",
        location=Issue.Location.OUTSIDE,
        anonymous=True,
    )
    if thrown:
        services.support_issue(issue=thrown, resident=zhang)
        move(thrown, Issue.Status.ACKNOWLEDGED, "已在各楼层贴提醒，楼组长上门宣传。")

    lobby = report(
        "大堂环境脏乱，广告贴满墙",
        li,
        li.user,
        240,
        category=Issue.Category.SANITATION,
        text="门厅墙上小广告很多，地上有积灰。",
        location=Issue.Location.LOBBY,
        photos=[_photo("#c8b88a", "lobby-before")],
    )
    if lobby:
        services.support_issue(issue=lobby, resident=zhang)
        move(lobby, Issue.Status.IN_PROGRESS, "周六楼道清洁日一起清理。")
        move(
            lobby,
            Issue.Status.RESOLVED,
            "志愿者清理了小广告，重新刷了墙。",
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
            "涉及几户人家，提交下次议事会商量清理办法和公约。",
        )

    report(
        "电瓶车停在门厅充电",
        qian,
        leader_user,
        60,
        category=Issue.Category.BICYCLES,
        text="钱奶奶说晚上门厅停满电瓶车，有人拉线充电，她怕着火，出门也不方便。",
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
            "小区快递柜由物业统一规划，已转告物业；楼组层面无法单独安装。",
        )


CONVENTION_TEXT = """一、不高空抛物,不从窗口扔垃圾。
二、楼道不堆放杂物,保持消防通道畅通。
三、电动自行车不进楼道、不在楼内充电。
四、爱护门厅铁门和公共设施,损坏及时报修。
五、邻里有事好商量,有困难互相帮一把。"""


def seed_deliberation_demo(community) -> None:
    """议事 in 8号楼: a naming poll, a convention, a decision, a meeting, a consultation."""
    building = Building.objects.filter(community=community, number="8号楼").first()
    if building is None:
        return
    leader = (
        Resident.objects.leaders().in_building(building).select_related("user").first()
    )
    team = Resident.objects.team().in_building(building).exclude(pk=leader.pk).first()
    residents = list(
        Resident.objects.approved()
        .in_building(building)
        .filter(user__isnull=False, role=Resident.Role.RESIDENT)
        .select_related("household", "user")
    )
    grandma = Resident.objects.in_building(building).filter(name="钱奶奶").first()
    if leader is None:
        return
    now = timezone.now()
    author = (team or leader).user

    def proposal(title, **fields):
        existing = Proposal.objects.filter(building=building, title=title).first()
        if existing is not None:
            return existing, False
        return (
            proposal_services.create_proposal(
                building=building, author=author, title=title, **fields
            ),
            True,
        )

    # A convention adopted by an open poll, signed online and on paper.
    convention, created = proposal(
        "8号楼楼组公约", kind=Proposal.Kind.CONVENTION, body=CONVENTION_TEXT
    )
    if created:
        proposal_services.change_proposal_status(
            proposal=convention, to_status="discussion", actor=author
        )
        poll = poll_services.open_poll(
            proposal=convention,
            created_by=leader.user,
            question="是否通过《8号楼楼组公约》？",
            option_labels=[],
            opens_at=now - timedelta(days=10),
            closes_at=now + timedelta(minutes=1),
            quorum_percent=30,
        )
        yes = poll.options.get(kind="yes").pk
        voters = [leader, *residents[:1]]
        for voter in voters:
            poll_services.cast_ballot(poll=poll, option_id=yes, resident=voter)
        households = Household.objects.filter(building=building).exclude(
            pk__in=[v.household_id for v in voters]
        )
        for household in households[:3]:
            poll_services.cast_ballot(
                poll=poll,
                option_id=yes,
                household=household,
                origin="door_to_door",
                entered_by=leader.user,
            )
        poll_services.close_poll(
            poll=poll, closed_by=leader.user, reason="公约已获过半户数同意，提前公布。"
        )
        current = building.conventions.order_by("-version").first()
        if current is not None:
            convention_services.sign_convention(convention=current, resident=leader)
            if grandma is not None:
                convention_services.sign_convention(
                    convention=current,
                    household=grandma.household,
                    resident=grandma,
                    signer_name=grandma.name,
                    entered_by=leader.user,
                )

    # A naming poll, open now.
    naming, created = proposal(
        "给我们楼组起个名字",
        kind=Proposal.Kind.NAMING,
        body="试点“活力楼组”，大家给8号楼起个好听的名字吧！",
    )
    if created:
        proposal_services.change_proposal_status(
            proposal=naming, to_status="discussion", actor=author
        )
        poll = poll_services.open_poll(
            proposal=naming,
            created_by=leader.user,
            question="8号楼楼组叫什么名字？",
            option_labels=["睦邻楼", "花园楼", "和谐楼"],
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=6),
            quorum_percent=50,
        )
        first = poll.options.first().pk
        poll_services.cast_ballot(poll=poll, option_id=first, resident=leader)
        if grandma is not None:
            poll_services.cast_ballot(
                poll=poll,
                option_id=poll.options.last().pk,
                household=grandma.household,
                resident=grandma,
                origin="proxy",
                entered_by=leader.user,
            )

    # A fund decision the fund can cite.
    pots, created = proposal(
        "购买20个一尺花园花盆",
        kind=Proposal.Kind.FUND_USE,
        body="用楼组自治金购买20个花盆，放在各层窗台，由志愿者轮流浇水。",
        budget=Decimal("320.00"),
    )
    if created:
        proposal_services.change_proposal_status(
            proposal=pots, to_status="discussion", actor=author
        )
        proposal_services.change_proposal_status(
            proposal=pots,
            to_status="adopted",
            actor=leader.user,
            note="上次议事会举手表决通过",
        )

    # A proposal in discussion from the lobby door issue.
    door, created = proposal(
        "门厅铁门维修方案",
        kind=Proposal.Kind.GENERAL,
        body="门厅铁门关不严，外人随意进出。建议请物业维修闭门器，费用另议。",
    )
    if created:
        proposal_services.change_proposal_status(
            proposal=door, to_status="discussion", actor=author
        )
        for resident, text in zip(
            residents,
            ["早就该修了，晚上很不安全。", "可以先问问物业能不能免费修。"],
            strict=False,
        ):
            proposal_services.add_comment(
                proposal=door, author=resident.user, name=resident.name, text=text
            )

    if not Meeting.objects.filter(
        building=building, title="楼组议事会：门厅铁门与楼组命名"
    ).exists():
        meeting = meeting_services.schedule_meeting(
            building=building,
            created_by=author,
            title="楼组议事会：门厅铁门与楼组命名",
            starts_at=timezone.localtime(now + timedelta(days=5)).replace(
                hour=19, minute=0, second=0, microsecond=0
            ),
            place="8号楼一楼门厅",
            agenda=[door, naming],
            agenda_notes="顺便商量楼道清洁日的安排。",
        )
        meeting_services.add_meeting_task(
            meeting=meeting,
            title="联系物业询问闭门器报价",
            owner=team or leader,
            due_on=timezone.localdate() + timedelta(days=10),
        )

    if not Consultation.objects.filter(
        building=building, title="一尺花园意见征询"
    ).exists():
        consultation = consultation_services.create_consultation(
            building=building,
            created_by=author,
            title="一尺花园意见征询",
            intro="想在窗台和门厅摆花，听听大家的想法。",
            opens_at=now - timedelta(days=2),
            closes_at=now + timedelta(days=12),
        )
        where = consultation_services.add_question(
            consultation=consultation,
            text="花盆放在哪里比较好？",
            kind="single",
            required=True,
            choices=["各层窗台", "一楼门厅", "楼前空地"],
        )
        help_ = consultation_services.add_question(
            consultation=consultation,
            text="您愿意帮忙做什么？",
            kind="multiple",
            required=False,
            choices=["浇水", "捐花苗", "教大家养花"],
        )
        consultation_services.add_question(
            consultation=consultation,
            text="其他建议",
            kind="text",
            required=False,
            choices=[],
        )
        choices = {c.label: c for q in (where, help_) for c in q.choices.all()}
        if residents:
            consultation_services.submit_response(
                consultation=consultation,
                answers={where: [choices["各层窗台"]], help_: [choices["浇水"]]},
                resident=residents[0],
            )
        if grandma is not None:
            consultation_services.submit_response(
                consultation=consultation,
                answers={where: [choices["一楼门厅"]], help_: [choices["捐花苗"]]},
                household=grandma.household,
                entered_by=author,
            )
