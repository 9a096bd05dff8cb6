"""A year of the building fund for generated buildings (generate_district).

Seven buildings in ten have opened a fund. Per fund and year, on average: 20 donations,
5 expenses (never more than the balance), a matching grant each quarter where the
sub-district matches, a reversal now and then, a campaign, a goods donation. Entries are
written in date order with the same digest chain `_append` computes (entry.compute_digest
over the previous entry's digest), so `manage.py check_ledger` passes.
"""

import uuid
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from funds.models import (
    Campaign,
    Fund,
    GoodsDonation,
    LedgerEntry,
    ProjectCategory,
    RuleSet,
    StockMovement,
    UsageRule,
)
from funds.money import to_money

RULES = [
    ("楼道公共设施的小修小补", True),
    ("楼组公共活动的物料", True),
    ("一尺花园的花苗和工具", True),
    ("个人或家庭的开支", False),
]
CATEGORIES = ["环境美化", "设施维修", "邻里活动"]
EXPENSES = [
    ("五金店", "更换大堂灯泡"),
    ("花鸟市场", "购买花苗"),
    ("文具店", "活动物料"),
    ("保洁公司", "楼道深度清洁"),
]
OUTSIDE_DONORS = ["物业公司", "辖区单位", "热心市民"]
PUBLIC_NAMES = ["name", "room", "anonymous"]
PAID_BY = ["cash", "wechat", "alipay", "bank"]


def generate_district(district) -> None:
    rng = district.rng
    sinks = {
        "fund": district.sink(
            Fund,
            [
                "id",
                "building_id",
                "approval_threshold",
                "matching_source",
                "matching_ratio",
                "matching_cap",
                "created_at",
                "updated_at",
            ],
        ),
        "ruleset": district.sink(
            RuleSet,
            [
                "id",
                "fund_id",
                "version",
                "adopted_on",
                "adopted_how",
                "created_by_id",
                "created_at",
            ],
        ),
        "rule": district.sink(
            UsageRule, ["id", "ruleset_id", "position", "text", "allowed", "created_at"]
        ),
        "category": district.sink(
            ProjectCategory, ["id", "ruleset_id", "position", "name", "created_at"]
        ),
        "campaign": district.sink(
            Campaign,
            [
                "id",
                "fund_id",
                "title",
                "purpose",
                "category_id",
                "goal",
                "deadline",
                "status",
                "approval_text",
                "created_by_id",
                "created_at",
            ],
        ),
        "entry": district.sink(
            LedgerEntry,
            [
                "id",
                "fund_id",
                "kind",
                "amount",
                "occurred_on",
                "donor_resident_id",
                "donor_name",
                "public_name",
                "paid_by",
                "receipt_number",
                "payee",
                "purpose",
                "usage_rule_id",
                "campaign_id",
                "approval_text",
                "note",
                "reverses_id",
                "recorded_by_id",
                "recorded_at",
                "token",
                "digest",
            ],
        ),
        "goods": district.sink(
            GoodsDonation,
            [
                "id",
                "fund_id",
                "item",
                "quantity",
                "unit",
                "received_on",
                "donor_resident_id",
                "public_name",
                "recorded_by_id",
                "recorded_at",
                "token",
            ],
        ),
        "movement": district.sink(
            StockMovement,
            [
                "id",
                "goods_id",
                "quantity",
                "used_for",
                "occurred_on",
                "recorded_by_id",
                "recorded_at",
            ],
        ),
    }
    total = district.building_count
    for index, building in enumerate(district.buildings(), start=1):
        if rng.random() < 0.7:
            _fund(district, building, sinks)
        district.progress.update("funds", index, total)


def _token(rng) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _recorded(district, day) -> datetime:
    """When the leader typed it in: that evening, or the next day (never in the future)."""
    local = timezone.make_aware(datetime.combine(day, time(19)))
    moment = local + timedelta(
        hours=district.rng.randint(0, 20), minutes=district.rng.randint(0, 59)
    )
    return min(moment, district.now).astimezone(UTC)


def _fund(district, building, sinks) -> None:
    rng, now = district.rng, district.now
    leader = building.leader
    today = timezone.localdate(now)
    fund_id = district.new_id(Fund)
    opened = district.start - timedelta(days=rng.randint(0, 300))
    matching = rng.random() < 0.3
    ratio = Decimal("1.00") if matching else Decimal("0.00")
    cap = Decimal(rng.choice([1000, 2000, 3000])) if matching else Decimal("0.00")
    sinks["fund"].add(
        fund_id, building.id, Decimal("500.00"), "街道", ratio, cap, opened, opened
    )
    ruleset_id = district.new_id(RuleSet)
    adopted_on = timezone.localdate(opened)
    sinks["ruleset"].add(
        ruleset_id,
        fund_id,
        1,
        adopted_on,
        f"{adopted_on} 楼组议事会通过",
        leader.user_id,
        opened,
    )
    rule_ids = list(district.ids(UsageRule, len(RULES)))
    for position, ((text, allowed), rule_id) in enumerate(
        zip(RULES, rule_ids, strict=True), start=1
    ):
        sinks["rule"].add(rule_id, ruleset_id, position, text, allowed, opened)
    allowed_rules = [
        rule_id
        for (text, allowed), rule_id in zip(RULES, rule_ids, strict=True)
        if allowed
    ]
    category_ids = list(district.ids(ProjectCategory, len(CATEGORIES)))
    for position, (name, category_id) in enumerate(
        zip(CATEGORIES, category_ids, strict=True), start=1
    ):
        sinks["category"].add(category_id, ruleset_id, position, name, opened)

    campaigns = []  # (id, start day, deadline)
    for _n in range(district.amount(0.8)):
        campaign_id = district.new_id(Campaign)
        created = district.moment()
        deadline = timezone.localdate(created) + timedelta(days=rng.randint(14, 60))
        status = "closed" if deadline < today and rng.random() < 0.8 else "open"
        sinks["campaign"].add(
            campaign_id,
            fund_id,
            "一尺花园众筹",
            "为楼前的一尺花园买花苗和工具。",
            rng.choice(category_ids),
            Decimal(rng.choice([500, 1000, 2000])),
            deadline,
            status,
            "",
            leader.user_id,
            created,
        )
        campaigns.append((campaign_id, timezone.localdate(created), deadline))

    # The year's events in date order; amounts decided as the balance allows.
    events = [
        (timezone.localdate(district.moment()), "donation")
        for _n in range(district.amount(20))
    ]
    events += [
        (timezone.localdate(district.moment()), "expense")
        for _n in range(district.amount(5))
    ]
    if matching:
        events += [
            (today - timedelta(days=days), "matching") for days in (270, 180, 90, 1)
        ]
    events.sort(key=lambda item: item[0])
    balance = raised = matched = Decimal("0.00")
    previous = ""
    written: list[LedgerEntry] = []
    entries = sinks["entry"]

    def append(**fields) -> LedgerEntry:
        nonlocal previous, balance
        entry = LedgerEntry(
            id=district.new_id(LedgerEntry),
            fund_id=fund_id,
            recorded_by_id=leader.user_id,
            recorded_at=_recorded(district, fields["occurred_on"]),
            token=_token(rng),
            **fields,
        )
        entry.amount = to_money(entry.amount)
        entry.digest = entry.compute_digest(previous)
        previous = entry.digest
        balance += entry.amount
        entries.add(
            entry.id,
            fund_id,
            entry.kind,
            entry.amount,
            entry.occurred_on,
            entry.donor_resident_id,
            entry.donor_name,
            entry.public_name,
            entry.paid_by,
            entry.receipt_number,
            entry.payee,
            entry.purpose,
            entry.usage_rule_id,
            entry.campaign_id,
            entry.approval_text,
            entry.note,
            entry.reverses_id,
            entry.recorded_by_id,
            entry.recorded_at,
            entry.token,
            entry.digest,
        )
        written.append(entry)
        return entry

    for day, kind in events:
        if kind == "donation":
            amount = (
                Decimal(rng.choice([10, 20, 50, 50, 100, 100, 200, 500]))
                + Decimal(rng.choice([0, 0, 0, 66])) / 100
            )
            donor = rng.choice(building.people) if rng.random() < 0.8 else None
            public_name = (
                rng.choice(PUBLIC_NAMES) if donor else rng.choice(["name", "anonymous"])
            )
            outside = (
                rng.choice(OUTSIDE_DONORS)
                if donor is None and public_name == "name"
                else ""
            )
            campaign_id = next(
                (c for c, start, end in campaigns if start <= day <= end), None
            )
            append(
                kind="donation",
                amount=amount,
                occurred_on=day,
                donor_resident_id=donor.id if donor else None,
                donor_name=outside,
                public_name=public_name,
                paid_by=rng.choice(PAID_BY),
                campaign_id=campaign_id if rng.random() < 0.6 else None,
            )
            raised += amount
        elif kind == "matching":
            room = min(raised * Decimal("1.00"), cap) - matched
            if room >= Decimal("1.00"):
                append(
                    kind="matching",
                    amount=room,
                    occurred_on=day,
                    donor_name="街道",
                    public_name="name",
                    paid_by="bank",
                )
                matched += room
        elif balance >= Decimal("20.00"):
            payee, purpose = rng.choice(EXPENSES)
            amount = min(balance, Decimal(rng.randrange(20, 900)))
            approval = (
                f"{day - timedelta(days=7)} 楼组议事会决议"
                if amount > Decimal("500")
                else ""
            )
            append(
                kind="expense",
                amount=-amount,
                occurred_on=day,
                payee=payee,
                purpose=purpose,
                usage_rule_id=rng.choice(allowed_rules),
                approval_text=approval,
                paid_by=rng.choice(PAID_BY),
                receipt_number=f"NO.{rng.randint(10000, 99999)}",
            )
        # Now and then a mistake is corrected with a reversal (冲正), a day or two later.
        last = written[-1] if written else None
        if (
            last is not None
            and last.kind in ("donation", "expense")
            and rng.random() < 0.02
            and balance - last.amount >= 0
        ):
            append(
                kind="reversal",
                amount=-last.amount,
                occurred_on=min(
                    last.occurred_on + timedelta(days=rng.randint(0, 2)), today
                ),
                reverses_id=last.id,
                note="金额录入错误，冲正。",
            )
            if last.kind == "donation":
                raised -= last.amount

    for _n in range(district.amount(0.6)):
        goods_id = district.new_id(GoodsDonation)
        day = timezone.localdate(district.moment())
        donor = rng.choice(building.people)
        sinks["goods"].add(
            goods_id,
            fund_id,
            "花盆",
            Decimal(rng.choice([5, 10, 20])),
            "盆",
            day,
            donor.id,
            rng.choice(PUBLIC_NAMES),
            leader.user_id,
            _recorded(district, day),
            _token(rng),
        )
        if rng.random() < 0.5:
            sinks["movement"].add(
                district.new_id(StockMovement),
                goods_id,
                Decimal("2"),
                "一尺花园",
                min(day + timedelta(days=3), today),
                leader.user_id,
                _recorded(district, min(day + timedelta(days=3), today)),
            )
