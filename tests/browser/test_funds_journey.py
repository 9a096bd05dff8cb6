"""At phone size: the leader logs a donation and an expense with a receipt, blurs and publishes
it; a resident sees both on the statement; the printable statement renders."""

import io

import pytest
from PIL import Image, ImageDraw

from tests.browser.helpers import html, log_in
from tests.factories import AccountResidentFactory
from tests.funds.factories import ready_fund

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def receipt_file(tmp_path):
    image = Image.new("RGB", (600, 800), "white")
    draw = ImageDraw.Draw(image)
    draw.text((20, 20), "Wang 139 1234 5678", fill="black")
    draw.text((20, 400), "Lock repair  45.00", fill="black")
    path = tmp_path / "receipt.jpg"
    out = io.BytesIO()
    image.save(out, format="JPEG")
    path.write_bytes(out.getvalue())
    return path


def test_leader_logs_money_resident_reads_the_statement(phone, new_phone, tmp_path):
    fund, leader, rule = ready_fund()
    building = fund.building
    resident = AccountResidentFactory(
        household__building=building, household__room="302", name="张阿姨"
    )

    log_in(phone, leader.phone)
    phone.goto(f"/buildings/{building.pk}/fund/")
    assert phone.viewport_size["width"] == 390
    phone.click("text=记一笔捐款")
    phone.fill("input[name=amount]", "200")
    phone.select_option("select[name=donor_resident]", label=f"302 · {resident.name}")
    phone.check("input[name=public_name][value=room]")
    phone.check("input[name=paid_by][value=wechat]")
    phone.fill("input[name=receipt_number]", "No.0001")
    with phone.expect_navigation():
        phone.click("main button[type=submit]")
    assert "¥200.00" in html(phone)

    phone.goto(f"/buildings/{building.pk}/fund/")
    phone.click("text=记一笔支出")
    phone.fill("input[name=amount]", "45")
    phone.fill("input[name=payee]", "王师傅")
    phone.fill("input[name=purpose]", "修楼道门锁")
    phone.check("input[name=paid_by][value=cash]")
    phone.set_input_files("input[name=receipt_photo]", str(receipt_file(tmp_path)))
    with phone.expect_navigation():
        phone.click("main button[type=submit]")
    # On the blur page: tap the two top-left squares, blur, confirm, publish.
    phone.click("label[for=cell-0-0]")
    phone.click("label[for=cell-0-1]")
    with phone.expect_navigation():
        phone.click("main button[type=submit]:has-text('打码')")
    phone.check("input[name=confirm]")
    with phone.expect_navigation():
        phone.click("main button[type=submit]:has-text('公开')")
    assert "王师傅" in html(phone)

    neighbour = new_phone()
    log_in(neighbour, resident.user.phone)
    neighbour.goto(f"/buildings/{building.pk}/fund/")
    with neighbour.expect_navigation():
        neighbour.click("text=收支公示")
    body = html(neighbour)
    assert "302室" in body and "¥200.00" in body
    assert "王师傅" in body and "修楼道门锁" in body and "¥45.00" in body
    assert "¥155.00" in body  # closing balance
    # The page fits the phone: nothing scrolls sideways.
    assert neighbour.evaluate("document.documentElement.scrollWidth") <= 392
    with neighbour.expect_navigation():
        neighbour.click("text=打印版")
    assert neighbour.locator("svg.segno").count() == 1
    assert neighbour.locator(".signature").count() == 2
    neighbour.emulate_media(media="print")
    assert neighbour.locator("nav.bottom-nav").is_hidden()
    neighbour.emulate_media(media="screen")
    # The receipt, once blurred and confirmed, is visible to the neighbour.
    neighbour.goto(f"/buildings/{building.pk}/fund/")
    with neighbour.expect_navigation():
        neighbour.click("text=王师傅")
    image = neighbour.locator("img.receipt-thumb")
    assert image.count() == 1
    image.scroll_into_view_if_needed()
    # decode() waits for the image to load (rejects if it cannot); evaluate() is not
    # bound by the page's Content-Security-Policy, where wait_for_function's string is.
    assert image.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0
    response = neighbour.request.get(image.get_attribute("src"))
    assert response.status == 200 and response.headers["content-type"] == "image/jpeg"


def test_fund_pages_are_light_accessible_and_fit_the_phone(audit):
    from decimal import Decimal

    from django.utils import timezone

    from funds import services
    from tests.browser.conftest import PAGE_WEIGHT_LIMIT
    from tests.funds.factories import CampaignFactory, donate, photo_content, spend

    fund, leader, rule = ready_fund()
    building = fund.building
    resident = AccountResidentFactory(household__building=building)
    campaign = CampaignFactory(fund=fund, created_by=leader)
    campaign.needs.create(kind="hands", description="浇水", quantity=2, unit="人")
    donate(
        fund,
        leader,
        "500",
        campaign=campaign,
        donor_resident=resident,
        public_name="room",
    )
    expense = spend(fund, leader, "45", rule, receipt_image=photo_content())
    services.blur_receipt(receipt=expense.receipt, regions=[(0, 0, 50, 20)])
    services.record_goods(
        fund=fund,
        item="花盆",
        quantity=Decimal("20"),
        unit="盆",
        received_on=timezone.localdate(),
        by=leader,
    )
    base = f"/buildings/{building.pk}/fund"
    pages = [
        (f"{base}/", resident.user),
        (f"{base}/statement/", resident.user),
        (f"{base}/statement/print/", resident.user),
        (f"{base}/campaigns/{campaign.pk}/", resident.user),
        (f"{base}/entries/{expense.pk}/", resident.user),
        (f"{base}/goods/", resident.user),
        (f"{base}/rules/", resident.user),
        (f"{base}/donations/new/", leader),
        (f"{base}/expenses/new/", leader),
        (f"{base}/entries/{expense.pk}/receipt/", leader),
    ]
    problems = []
    for path, who in pages:
        weight, serious, font_size, page = audit(path, login=who.phone)
        if weight > PAGE_WEIGHT_LIMIT:
            problems.append(f"{path}: {weight} bytes compressed")
        if serious:
            problems.append(f"{path}: {serious}")
        if font_size < 16:
            problems.append(f"{path}: body text {font_size}px")
        if page.evaluate("document.documentElement.scrollWidth") > 390:
            problems.append(f"{path}: wider than the phone")
    assert problems == [], "\n".join(problems)
