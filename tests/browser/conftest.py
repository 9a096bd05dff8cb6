"""Real-browser journeys: Playwright for Python driving Debian's Chromium, at phone size.

Never downloads a browser. Skipped, with the reason, only when no Chromium exists.
"""

import os
import shutil
from pathlib import Path

import pytest

from tests.activities.factories import ActivityFactory, ShiftFactory
from tests.browser.helpers import large_text_cookie, log_in
from tests.factories import (
    AccountResidentFactory,
    AnnouncementFactory,
    StaffFactory,
    TalentFactory,
)
from tests.funds.factories import CampaignFactory, donate, ready_fund
from tests.gardens.factories import AdoptionFactory, GardenSpaceFactory
from tests.proposals.deliberation.factories import (
    ConsultationFactory,
    MeetingFactory,
    PollFactory,
)
from tests.proposals.factories import IssueFactory

os.environ.setdefault(
    "DJANGO_ALLOW_ASYNC_UNSAFE", "true"
)  # Playwright's sync API runs a loop

PHONE = {"width": 390, "height": 844}


def chromium_path() -> str | None:
    for candidate in [
        os.environ.get("LOUZU_CHROMIUM"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
    ]:
        if candidate and os.path.exists(candidate):
            return candidate
    return None


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        pytest.skip(
            "No Chromium found (install Debian's chromium package or set LOUZU_CHROMIUM)."
        )
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(browser, live_server):
    """A fresh phone-sized page; page.goto(path) takes paths relative to the live server."""
    context = browser.new_context(
        viewport=PHONE, base_url=live_server.url, locale="zh-CN"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def new_phone(browser, live_server):
    """Open more phones (several people in one journey)."""
    contexts = []

    def _open():
        context = browser.new_context(
            viewport=PHONE, base_url=live_server.url, locale="zh-CN"
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture
def neighbourhood():
    """A pilot building with a leader, a resident with a talent, an announcement, a pending
    join request, and a branch staff member: enough for every main page to show something."""
    leader = AccountResidentFactory(role="leader", household__building__is_pilot=True)
    building = leader.household.building
    resident = AccountResidentFactory(household__building=building)
    TalentFactory(resident=resident, skill__name="理发")
    announcement = AnnouncementFactory(building=building, title="楼道清洁日")
    AccountResidentFactory(household__building=building, status="pending")
    return {
        "staff": StaffFactory(communities=[building.community]),
        "leader": leader,
        "resident": resident,
        "building": building,
        "announcement": announcement,
    }


def pages(data):
    building = data["building"]
    resident = data["resident"].user.phone
    leader = data["leader"].user.phone
    return [
        (f"/c/{building.community_id}/", None),
        ("/accounts/login/", None),
        ("/accounts/register/", None),
        (building.get_absolute_url(), resident),
        (data["announcement"].get_absolute_url(), resident),
        ("/me/", resident),
        ("/me/notifications/", resident),
        (f"/buildings/{building.pk}/requests/", leader),
        (f"/buildings/{building.pk}/residents/", leader),
        (f"/buildings/{building.pk}/todo/", leader),
        (f"/dashboard/c/{building.community_id}/", data["staff"].phone),
    ]


@pytest.fixture
def main_pages(neighbourhood):
    """The pages audited in test_page_quality.py, plus the other main pages of the building:
    issues, a poll, a consultation, a council meeting, the fund, its statement and a
    campaign, the decide hub, activities, the volunteer rota, gardens and the search
    page."""
    data = neighbourhood
    building = data["building"]
    resident = data["resident"].user.phone
    leader = data["leader"].user.phone
    issue = IssueFactory(building=building, title="大堂铁门关不上")
    poll = PollFactory(
        proposal__building=building,
        proposal__author=data["leader"].user,
        proposal__title="楼道装感应灯吗?",
    )
    fund, fund_leader, _rule = ready_fund(building)
    donate(
        fund, fund_leader, "200", donor_resident=data["resident"], public_name="room"
    )
    consultation = ConsultationFactory(
        building=building, created_by=data["leader"].user, title="门厅改造征询"
    )
    meeting = MeetingFactory(building=building, created_by=data["leader"].user)
    campaign = CampaignFactory(fund=fund, title="门厅换新灯")
    activity = ActivityFactory(building=building, title="一尺花园亲子种花")
    ShiftFactory(task__building=building, task__title="楼道清扫")
    space = GardenSpaceFactory(
        building=building, name="三楼楼梯窗台", place="三楼楼梯间朝南的窗台"
    )
    AdoptionFactory(space=GardenSpaceFactory(building=building, name="门厅角落"))
    base = f"/buildings/{building.pk}"
    return pages(data) + [
        (f"{base}/issues/", resident),
        (issue.get_absolute_url(), resident),
        (issue.get_absolute_url(), leader),
        (f"{base}/decide/", resident),
        (poll.get_absolute_url(), resident),
        (poll.get_absolute_url(), leader),
        (f"{base}/decide/consultations/{consultation.pk}/", resident),
        (meeting.get_absolute_url(), resident),
        (f"{base}/fund/", resident),
        (f"{base}/fund/statement/", resident),
        (campaign.get_absolute_url(), resident),
        (f"{base}/activities/", resident),
        (f"{base}/activities/{activity.pk}/", resident),
        (f"{base}/volunteer/", resident),
        (f"{base}/gardens/", resident),
        (space.get_absolute_url(), resident),
        (space.get_absolute_url(), leader),
        (f"{base}/search/?q=铁门", resident),
        ("/me/notifications/settings/", resident),
        ("/me/notifications/sms/", resident),
        (f"{base}/wecom/", leader),
    ]


AXE = Path(__file__).parent / "vendor" / "axe.min.js"
PAGE_WEIGHT_LIMIT = 60 * 1024  # bytes on the wire for the first load of a main page


@pytest.fixture(scope="session")
def live_server(request, tmp_path_factory):
    """pytest-django's live server, with static files served as in production: collected
    with their .gz and .br variants and sent by WhiteNoise, compressed (not by Django's
    uncompressed development handler), so page weights are what a phone downloads."""
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import override_settings
    from pytest_django.live_server_helper import LiveServer

    production_static = override_settings(
        STATIC_ROOT=tmp_path_factory.mktemp("static"),
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {
                "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
            },
        },
    )
    server = LiveServer(
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost",
        start=False,
    )
    server.thread.static_handler = lambda handler: handler  # WhiteNoise serves them
    # Only while WhiteNoise starts (it lists STATIC_ROOT once, with the variants).
    with production_static:
        call_command("collectstatic", interactive=False, verbosity=0)
        server.start()
    yield server
    server.stop()


@pytest.fixture
def audit(browser, live_server):
    """audit(path, login=phone, locale="zh-CN", large=False, axe=True) -> (bytes
    transferred on the first load, serious axe violations, body font size, page).

    Each person, locale and text size has one tab for the test (logged in once through
    the form; with large=True, in large text: the visitor's cookie, which a log-in keeps
    on the account). The tab's browser cache is switched off (DevTools' "Disable cache",
    Network.setCacheDisabled), so every page is a first load: everything it uses is
    downloaded again, as by a phone that has never seen the site. The weight is what went
    over the wire (headers and compressed bodies, as the browser received them) for the
    page and everything it loaded from the site: styles, scripts, images. With axe=False,
    axe-core is not run and no violation is reported.
    """
    tabs = {}  # (login, locale, large) -> (page, its requests: started, done)

    def _tab(login, locale, large):
        if (login, locale, large) in tabs:
            return tabs[login, locale, large]
        context = browser.new_context(
            viewport=PHONE, base_url=live_server.url, locale=locale, bypass_csp=True
        )
        if large:  # chosen on the phone before logging in: kept on the account
            context.add_cookies([large_text_cookie(live_server.url)])
        page = context.new_page()
        if login is not None:
            log_in(page, login)
            page.wait_for_load_state("load")
        devtools = context.new_cdp_session(page)
        devtools.send("Network.enable")
        devtools.send("Network.setCacheDisabled", {"cacheDisabled": True})
        started, done = [], {}
        page.on("request", lambda request: started.append(request))
        page.on("requestfinished", lambda request: done.setdefault(request, True))
        page.on("requestfailed", lambda request: done.setdefault(request, False))
        tabs[login, locale, large] = page, started, done
        return tabs[login, locale, large]

    def _audit(path, login=None, locale="zh-CN", large=False, axe=True):
        page, started, done = _tab(login, locale, large)
        page.goto("about:blank")  # the last page's late requests end here
        started.clear()
        done.clear()
        page.goto(
            path
        )  # returns on the load event: every style, script and image is in
        while any(request not in done for request in started):
            page.wait_for_timeout(20)  # their events trail it
        weight = 0
        for request in list(started):  # a late favicon may start meanwhile
            if done.get(request) and request.url.startswith(live_server.url):
                sizes = request.sizes()
                weight += sizes["responseHeadersSize"] + sizes["responseBodySize"]
        serious = []
        if axe:
            page.add_script_tag(path=str(AXE))
            result = page.evaluate(
                "async () => await axe.run(document, {resultTypes: ['violations']})"
            )
            serious = [
                {
                    "id": v["id"],
                    "impact": v["impact"],
                    "nodes": [n["target"] for n in v["nodes"][:3]],
                }
                for v in result["violations"]
                if v["impact"] in ("serious", "critical")
            ]
        font_size = page.evaluate(
            "parseFloat(getComputedStyle(document.body).fontSize)"
        )
        return weight, serious, font_size, page

    yield _audit
    for page, _started, _done in tabs.values():
        page.context.close()
