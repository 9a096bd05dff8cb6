"""Demo data for the building fund of 8号楼: rules, a campaign, donations, expenses, goods.

Idempotent: once the fund has entries nothing is added again.
"""

import io
import uuid
from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from buildings.models import Building, Resident, User
from funds import services
from funds.models import CampaignNeed, Fund


def _receipt(lines: list[str]) -> ContentFile:
    image = Image.new("RGB", (600, 800), "white")
    draw = ImageDraw.Draw(image)
    for index, line in enumerate(lines):
        draw.text((40, 40 + index * 60), line, fill="black")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


def seed_demo(community):
    building = Building.objects.filter(community=community, number="8号楼").first()
    leader = User.objects.filter(phone="13800000001").first()
    if building is None or leader is None:
        return
    fund = services.open_fund(building=building)
    if fund.entries.exists():
        return
    Fund.objects.filter(pk=fund.pk).update(
        matching_source="罗店镇",
        matching_ratio=Decimal("1.00"),
        matching_cap=Decimal("2000.00"),
    )
    fund.refresh_from_db()
    today = timezone.localdate()
    ruleset = services.adopt_rules(
        fund=fund,
        allowed=[
            "楼道、门厅等公共区域的小修小补",
            "公共区域绿化（一尺花园）",
            "楼组活动的材料和茶水",
            "慰问楼内高龄、困难老人",
        ],
        forbidden=["个人或某一户的私人用途", "发放现金或购物卡", "与本楼无关的开支"],
        categories=["美化环境", "设施维修", "邻里活动", "关爱老人"],
        adopted_on=today - timedelta(days=75),
        adopted_how="议事会讨论，12户中11户同意",
        introduction="取之于民、用之于民，每一笔都公开。",
        by=leader,
    )
    rules = {rule.text[:4]: rule for rule in ruleset.rules.filter(allowed=True)}
    categories = {category.name: category for category in ruleset.categories.all()}
    garden = services.create_campaign(
        fund=fund,
        title="一尺花园",
        purpose="把楼前的空地种上花，每户认领一尺，大家一起浇水。",
        category=categories["美化环境"],
        goal=Decimal("3000.00"),
        deadline=today + timedelta(days=30),
        approval_text="议事会决议第2项",
        needs=[
            {
                "kind": CampaignNeed.Kind.GOODS,
                "description": "花盆",
                "quantity": 20,
                "unit": "盆",
            },
            {
                "kind": CampaignNeed.Kind.GOODS,
                "description": "营养土",
                "quantity": 3,
                "unit": "袋",
            },
            {
                "kind": CampaignNeed.Kind.HANDS,
                "description": "周六浇水",
                "quantity": 2,
                "unit": "人",
            },
        ],
        by=leader,
    )
    residents = {
        r.name: r
        for r in Resident.objects.approved()
        .in_building(building)
        .select_related("household")
    }
    gifts = [
        (60, "张阿姨", "", "name", "wechat", "200"),
        (58, "陈小明", "", "room", "cash", "100"),
        (55, "", "", "anonymous", "cash", "50"),
        (50, "钱奶奶", "", "name", "cash", "100"),
        (45, "", "宝欣物业", "name", "bank", "500"),
        (40, "李秀英", "", "name", "alipay", "150"),
    ]
    entries = []
    for days_ago, name, outside, shown, paid_by, amount in gifts:
        entry, _created = services.record_donation(
            fund=fund,
            amount=Decimal(amount),
            occurred_on=today - timedelta(days=days_ago),
            by=leader,
            donor_resident=residents.get(name),
            donor_name=outside,
            public_name=shown,
            paid_by=paid_by,
            receipt_number=f"BX-{len(entries) + 1:04d}",
            campaign=garden,
        )
        entries.append(entry)
    duplicate, _created = services.record_donation(
        fund=fund,
        amount=Decimal("150"),
        occurred_on=today - timedelta(days=40),
        by=leader,
        donor_resident=residents.get("李秀英"),
        public_name="name",
        paid_by="alipay",
        campaign=garden,
    )
    services.reverse_entry(
        entry=duplicate, reason="同一笔支付宝转账记了两次", by=leader
    )
    services.record_matching_grant(
        fund=fund,
        amount=Decimal("1100.00"),
        occurred_on=today - timedelta(days=30),
        by=leader,
        receipt_number="LD-2026-08",
        note="街道配比，1:1",
    )
    pots, _created = services.record_expense(
        fund=fund,
        amount=Decimal("320.00"),
        occurred_on=today - timedelta(days=28),
        payee="罗店花鸟市场",
        purpose="花盆20个、营养土3袋",
        usage_rule=rules["公共区域"],
        paid_by="wechat",
        receipt_number="HN-0023",
        campaign=garden,
        by=leader,
        receipt_image=_receipt(
            [
                "RECEIPT No. HN-0023",
                "Buyer: Wang 138-0000-0001",
                "20 pots, 3 bags soil",
                "Total 320.00",
            ]
        ),
    )
    services.blur_receipt(receipt=pots.receipt, regions=[(0, 0, 100, 25)])
    services.confirm_receipt(receipt=pots.receipt, by=leader)
    services.record_expense(
        fund=fund,
        amount=Decimal("680.00"),
        occurred_on=today - timedelta(days=10),
        payee="王师傅（锁匠）",
        purpose="修好一楼门厅铁门的闭门器和锁",
        usage_rule=rules["楼道、门"],
        approval_text="议事会决议第3项（铁门维修）",
        paid_by="cash",
        receipt_number="SM-118",
        by=leader,
        receipt_image=_receipt(["Lock repair", "Wang 139-1234-5678", "680.00"]),
    )
    goods, _created = services.record_goods(
        fund=fund,
        item="花盆",
        quantity=Decimal("20"),
        unit="盆",
        received_on=today - timedelta(days=27),
        donor_resident=residents.get("李秀英"),
        public_name="name",
        need=garden.needs.get(description="花盆"),
        by=leader,
    )
    services.use_goods(
        goods=goods,
        quantity=Decimal("15"),
        used_for="一尺花园种花",
        occurred_on=today - timedelta(days=20),
        by=leader,
    )
    services.record_goods(
        fund=fund,
        item="营养土",
        quantity=Decimal("3"),
        unit="袋",
        received_on=today - timedelta(days=26),
        public_name="anonymous",
        need=garden.needs.get(description="营养土"),
        by=leader,
    )
    if "张阿姨" in residents:
        services.pledge(
            need=garden.needs.get(description="周六浇水"),
            resident=residents["张阿姨"],
            quantity=1,
            note="周六上午",
        )
    if "陈小明" in residents:
        services.pledge(
            need=garden.needs.get(description="花盆"),
            resident=residents["陈小明"],
            quantity=2,
        )
