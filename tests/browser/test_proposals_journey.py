"""At phone size: report with a photo -> leader acknowledges and resolves -> reporter confirms fixed.

Also: the issue pages are light, accessible and readable at 390 px.
"""

import pytest

from proposals.models import Issue
from tests.browser.conftest import PAGE_WEIGHT_LIMIT
from tests.browser.helpers import fits_the_phone, html, log_in
from tests.factories import AccountResidentFactory, BuildingFactory
from tests.proposals.factories import IssueFactory, IssuePhotoFactory, jpeg_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_report_with_photo_resolve_and_confirm_fixed(phone, new_phone, tmp_path):
    building = BuildingFactory(number="8号楼")
    reporter = AccountResidentFactory(household__building=building, user__name="张阿姨")
    leader = AccountResidentFactory(
        household__building=building, role="leader", user__name="王建华"
    )
    IssueFactory(building=building, category="facilities", title="单元门禁卡失灵")
    photo = tmp_path / "door.jpg"
    photo.write_bytes(jpeg_bytes(size=(800, 600)))

    page = phone
    log_in(page, reporter.user.phone)
    page.goto(f"/buildings/{building.pk}/issues/")
    page.click("text=我要反映")
    page.click("text=公共设施（如大堂铁门）")
    assert "单元门禁卡失灵" in html(page)  # similar open issue shown before saving
    assert fits_the_phone(page)
    page.fill("input[name=title]", "大堂铁门关不上")
    page.fill("textarea[name=text]", "门吸坏了,晚上陌生人能进来。")
    page.select_option("select[name=location]", "lobby")
    page.set_input_files("input[name=photos]", str(photo))
    page.click("text=提交反映")
    assert "您的诉求已提交" in html(page)
    issue = Issue.objects.get(title="大堂铁门关不上")
    assert issue.photos.count() == 1
    assert page.locator("img.issue-photo").count() == 1
    assert fits_the_phone(page)

    leader_page = new_phone()
    log_in(leader_page, leader.user.phone)
    leader_page.goto(f"/buildings/{building.pk}/issues/")
    leader_page.click("text=大堂铁门关不上")
    leader_page.select_option("select[name=to_status]", "acknowledged")
    leader_page.fill("textarea[name=reason]", "已联系物业,明天上午来修")
    leader_page.click("text=更新状态")
    assert "状态已更新" in html(leader_page)
    leader_page.select_option("select[name=to_status]", "resolved")
    leader_page.fill("textarea[name=reason]", "换了新门吸")
    leader_page.set_input_files("input[name=after_photos]", str(photo))
    leader_page.click("text=更新状态")
    assert "已办结" in html(leader_page)
    assert leader_page.locator(".before-after img").count() == 2
    assert fits_the_phone(leader_page)

    page.goto("/me/notifications/")
    assert "真的修好了吗" in html(page)
    page.goto(issue.get_absolute_url())
    assert "王建华" in html(page) and "已联系物业,明天上午来修" in html(page)
    page.check("input[name=fixed][value=yes]")
    page.click("text=提交我的回答")
    assert "谢谢您的确认" in html(page)
    assert "确认已修好" in html(page)
    issue.refresh_from_db()
    assert issue.status == "resolved" and issue.satisfaction == "satisfied"
    assert fits_the_phone(page)


def test_issue_pages_are_light_accessible_and_readable(audit):
    leader = AccountResidentFactory(role="leader")
    building = leader.household.building
    resident = AccountResidentFactory(household__building=building)
    issue = IssueFactory(building=building, reporter=resident, status="deliberating")
    IssuePhotoFactory(issue=issue)
    IssueFactory(building=building, is_anonymous=True)
    base = f"/buildings/{building.pk}"
    problems = []
    for path, who in [
        (f"{base}/issues/", resident),
        (f"{base}/issues/new/", resident),
        (f"{base}/issues/new/?category=facilities", resident),
        (issue.get_absolute_url(), resident),
        (issue.get_absolute_url(), leader),
        (f"{base}/issues/hub/", resident),
        (f"{base}/issues/print/", leader),
    ]:
        weight, serious, font_size, page = audit(path, login=who.user.phone)
        if weight > PAGE_WEIGHT_LIMIT:
            problems.append(f"{path}: {weight} bytes compressed")
        if serious:
            problems.append(f"{path}: {serious}")
        if font_size < 16:
            problems.append(f"{path}: body text {font_size}px")
        if not fits_the_phone(page):
            problems.append(f"{path}: wider than the phone")
    assert problems == [], "\n".join(problems)
