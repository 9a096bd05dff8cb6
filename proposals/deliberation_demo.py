"""Demo data for 议事 in 8号楼: a naming poll, a convention, a decision, a meeting,
a consultation. Idempotent: each piece is created only if its title is not there yet."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from buildings.models import Building, Household, Resident
from proposals import deliberation_services as services
from proposals.deliberation_models import Consultation, Meeting, Proposal

CONVENTION_TEXT = """一、不高空抛物,不从窗口扔垃圾。
二、楼道不堆放杂物,保持消防通道畅通。
三、电动自行车不进楼道、不在楼内充电。
四、爱护门厅铁门和公共设施,损坏及时报修。
五、邻里有事好商量,有困难互相帮一把。"""


def seed_demo(community) -> None:
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
            services.create_proposal(
                building=building, author=author, title=title, **fields
            ),
            True,
        )

    # A convention adopted by an open poll, signed online and on paper.
    convention, created = proposal(
        "8号楼楼组公约", kind=Proposal.Kind.CONVENTION, body=CONVENTION_TEXT
    )
    if created:
        services.change_proposal_status(
            proposal=convention, to_status="discussion", actor=author
        )
        poll = services.open_poll(
            proposal=convention,
            created_by=leader.user,
            question="是否通过《8号楼楼组公约》?",
            option_labels=[],
            opens_at=now - timedelta(days=10),
            closes_at=now + timedelta(minutes=1),
            quorum_percent=30,
        )
        yes = poll.options.get(kind="yes").pk
        voters = [leader, *residents[:1]]
        for voter in voters:
            services.cast_ballot(poll=poll, option_id=yes, resident=voter)
        households = Household.objects.filter(building=building).exclude(
            pk__in=[v.household_id for v in voters]
        )
        for household in households[:3]:
            services.cast_ballot(
                poll=poll,
                option_id=yes,
                household=household,
                origin="door_to_door",
                entered_by=leader.user,
            )
        services.close_poll(
            poll=poll, closed_by=leader.user, reason="公约已获过半户数同意，提前公布。"
        )
        current = building.conventions.order_by("-version").first()
        if current is not None:
            services.sign_convention(convention=current, resident=leader)
            if grandma is not None:
                services.sign_convention(
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
        body="试点“活力楼组”,大家给8号楼起个好听的名字吧!",
    )
    if created:
        services.change_proposal_status(
            proposal=naming, to_status="discussion", actor=author
        )
        poll = services.open_poll(
            proposal=naming,
            created_by=leader.user,
            question="8号楼楼组叫什么名字?",
            option_labels=["睦邻楼", "花园楼", "和谐楼"],
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=6),
            quorum_percent=50,
        )
        first = poll.options.first().pk
        services.cast_ballot(poll=poll, option_id=first, resident=leader)
        if grandma is not None:
            services.cast_ballot(
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
        body="用楼组自治金购买20个花盆,放在各层窗台,由志愿者轮流浇水。",
        budget=Decimal("320.00"),
    )
    if created:
        services.change_proposal_status(
            proposal=pots, to_status="discussion", actor=author
        )
        services.change_proposal_status(
            proposal=pots,
            to_status="adopted",
            actor=leader.user,
            note="2月议事会举手表决通过",
        )

    # A proposal in discussion from the lobby door issue.
    door, created = proposal(
        "门厅铁门维修方案",
        kind=Proposal.Kind.GENERAL,
        body="门厅铁门关不严,外人随意进出。建议请物业维修闭门器,费用另议。",
    )
    if created:
        services.change_proposal_status(
            proposal=door, to_status="discussion", actor=author
        )
        for resident, text in zip(
            residents,
            ["早就该修了,晚上很不安全。", "可以先问问物业能不能免费修。"],
            strict=False,
        ):
            services.add_comment(
                proposal=door, author=resident.user, name=resident.name, text=text
            )

    if not Meeting.objects.filter(building=building, title="3月楼组议事会").exists():
        meeting = services.schedule_meeting(
            building=building,
            created_by=author,
            title="3月楼组议事会",
            starts_at=timezone.localtime(now + timedelta(days=5)).replace(
                hour=19, minute=0, second=0, microsecond=0
            ),
            place="8号楼一楼门厅",
            agenda=[door, naming],
            agenda_notes="顺便商量楼道清洁日的安排。",
        )
        services.add_meeting_task(
            meeting=meeting,
            title="联系物业询问闭门器报价",
            owner=team or leader,
            due_on=timezone.localdate() + timedelta(days=10),
        )

    if not Consultation.objects.filter(
        building=building, title="一尺花园意见征询"
    ).exists():
        consultation = services.create_consultation(
            building=building,
            created_by=author,
            title="一尺花园意见征询",
            intro="想在窗台和门厅摆花,听听大家的想法。",
            opens_at=now - timedelta(days=2),
            closes_at=now + timedelta(days=12),
        )
        where = services.add_question(
            consultation=consultation,
            text="花盆放在哪里比较好?",
            kind="single",
            required=True,
            choices=["各层窗台", "一楼门厅", "楼前空地"],
        )
        help_ = services.add_question(
            consultation=consultation,
            text="您愿意帮忙做什么?",
            kind="multiple",
            required=False,
            choices=["浇水", "捐花苗", "教大家养花"],
        )
        services.add_question(
            consultation=consultation,
            text="其他建议",
            kind="text",
            required=False,
            choices=[],
        )
        choices = {c.label: c for q in (where, help_) for c in q.choices.all()}
        if residents:
            services.submit_response(
                consultation=consultation,
                answers={where: [choices["各层窗台"]], help_: [choices["浇水"]]},
                resident=residents[0],
            )
        if grandma is not None:
            services.submit_response(
                consultation=consultation,
                answers={where: [choices["一楼门厅"]], help_: [choices["捐花苗"]]},
                household=grandma.household,
                entered_by=author,
            )
