"""Screenshots of the main pages at 390 px, in normal and large text: docs/screens/.

    python3 dev.py screens [page ...]   (or .venv/bin/python scripts/screens.py)

Loads the demo data into a throwaway database, serves it on a free port and photographs
each page with Debian's Chromium (Playwright, as the browser tests), full length, once
in normal text (<page>.png) and once in large text (<page>-large.png). The pictures are
reduced to 64 colours so that they stay small in the repository; a change of look shows
as a changed picture in review. Set LOUZU_CHROMIUM if Chromium is not /usr/bin/chromium.
The pages are in Chinese: the machine needs a Chinese font (Debian: fonts-noto-cjk or
fonts-wqy-microhei), or the pictures show empty boxes instead of characters.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screens"
PHONE = {"width": 390, "height": 844}
RESIDENT, LEADER, STAFF = "13800000003", "13800000001", "13800000009"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def pages() -> list[tuple[str, str, str | None]]:
    """(name, path, who logs in) of each main page of the demo data."""
    from activities.models import Activity
    from buildings.models import Announcement, Building
    from gardens.models import GardenSpace
    from proposals.deliberation.polls.models import Poll
    from proposals.issues.models import Issue

    building = Building.objects.get(number="8号楼", community__name="宝欣苑第一居民区")
    base = f"/buildings/{building.pk}"
    issue = Issue.objects.filter(building=building).order_by("pk").first()
    poll = Poll.objects.filter(proposal__building=building).order_by("pk").first()
    activity = Activity.objects.filter(building=building).order_by("pk").first()
    space = GardenSpace.objects.filter(building=building).order_by("pk").first()
    announcement = Announcement.objects.filter(building=building).order_by("pk").first()
    found = [
        ("community", f"/c/{building.community_id}/", None),
        ("login", "/accounts/login/", None),
        ("register", "/accounts/register/", None),
        ("building", building.get_absolute_url(), RESIDENT),
        ("me", "/me/", RESIDENT),
        ("notifications", "/me/notifications/", RESIDENT),
        ("issues", f"{base}/issues/", RESIDENT),
        ("decide", f"{base}/decide/", RESIDENT),
        ("fund", f"{base}/fund/", RESIDENT),
        ("fund-statement", f"{base}/fund/statement/", RESIDENT),
        ("activities", f"{base}/activities/", RESIDENT),
        ("gardens", f"{base}/gardens/", RESIDENT),
        ("todo", f"{base}/todo/", LEADER),
        ("join-requests", f"{base}/requests/", LEADER),
        ("dashboard", f"/dashboard/c/{building.community_id}/", STAFF),
    ]
    for name, item in [
        ("announcement", announcement),
        ("issue", issue),
        ("poll", poll),
        ("activity", activity),
        ("garden-space", space),
    ]:
        if item is not None:
            found.append((name, item.get_absolute_url(), RESIDENT))
    return found


def shrink(path: Path) -> None:
    """64 colours and the best compression: a few tens of kilobytes a page."""
    from PIL import Image

    with Image.open(path) as picture:
        reduced = picture.convert("RGB").quantize(colors=64, dither=Image.Dither.NONE)
    reduced.save(path, optimize=True)


def photograph(url: str, found: list, password: str) -> None:
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("LOUZU_CHROMIUM") or shutil.which("chromium")
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=["--no-sandbox"]
        )
        for large in (False, True):
            states = {}
            for name, path, who in found:
                cookies = [{"name": "louzu_text", "value": "large", "url": url}]
                context = browser.new_context(
                    viewport=PHONE,
                    base_url=url,
                    locale="zh-CN",
                    storage_state=states.get(who),
                )
                if large:
                    context.add_cookies(cookies)
                page = context.new_page()
                if who is not None and who not in states:
                    page.goto("/accounts/login/password/")
                    page.fill("input[name=username]", who)
                    page.fill("input[name=password]", password)
                    with page.expect_navigation():
                        page.click("main button[type=submit]")
                    states[who] = context.storage_state()
                page.goto(path)
                page.wait_for_load_state("networkidle")
                target = OUT / f"{name}{'-large' if large else ''}.png"
                # The whole page in one viewport: the bottom bar where a phone shows it.
                height = page.evaluate("document.documentElement.scrollHeight")
                page.set_viewport_size({"width": PHONE["width"], "height": height})
                page.screenshot(path=str(target), full_page=True)
                shrink(target)
                print(f"{target.relative_to(ROOT)}  {target.stat().st_size // 1024} KB")
                context.close()
        browser.close()


def main() -> int:
    sys.path.insert(0, str(ROOT))
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True)
    if not fonts.stdout.strip():
        print("No Chinese font found (fc-list :lang=zh): install fonts-noto-cjk.")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp}/screens.sqlite3",
            "MEDIA_ROOT": f"{tmp}/media",
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
        os.environ.update(env)
        python = sys.executable
        subprocess.run(
            [python, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        subprocess.run(
            [python, "manage.py", "seed_demo"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        import django

        django.setup()
        from buildings.synthetic.demo import DEMO_PASSWORD

        found = pages()
        if sys.argv[1:]:  # only these pages, e.g. `screens.py building me`
            found = [page for page in found if page[0] in sys.argv[1:]]
        port = free_port()
        server = subprocess.Popen(
            [python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    import time

                    time.sleep(0.2)
            photograph(f"http://127.0.0.1:{port}", found, DEMO_PASSWORD)
        finally:
            server.terminate()
            server.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
