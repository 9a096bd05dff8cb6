"""Production as far as this machine allows: gunicorn + PostgreSQL + WhiteNoise, and the
security headers on every kind of response."""

import contextlib
import gzip
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from buildings.models import AnnouncementQuerySet
from tests.concurrency import requires_postgres
from tests.factories import AccountResidentFactory, AnnouncementFactory

ROOT = Path(settings.BASE_DIR)
HEADERS = {
    "content-security-policy": "script-src 'self'",
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


def assert_security_headers(headers):
    lowered = {key.lower(): value for key, value in headers.items()}
    for name, expected in HEADERS.items():
        assert expected in lowered.get(name, ""), (
            f"{name} missing or wrong: {lowered.get(name)}"
        )


@pytest.mark.django_db
def test_headers_on_404_403_and_500(client, monkeypatch):
    assert_security_headers(client.get("/no-such-page/").headers)
    client.force_login(AccountResidentFactory().user)
    forbidden = client.get("/admin/")
    assert forbidden.status_code == 302
    resident = AccountResidentFactory()
    client.force_login(resident.user)
    denied = client.get(f"/buildings/{resident.household.building_id}/requests/")
    assert denied.status_code == 403
    assert_security_headers(denied.headers)

    def boom(self, community):
        raise RuntimeError("simulated failure")

    monkeypatch.setattr(AnnouncementQuerySet, "community_wide", boom)
    crashing = Client(raise_request_exception=False)
    response = crashing.get(f"/c/{resident.household.building.community_id}/")
    assert response.status_code == 500
    assert "出错了" in response.content.decode()
    assert_security_headers(response.headers)


@pytest.mark.django_db
def test_headers_on_media(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "covers").mkdir()
    (tmp_path / "covers" / "abc.jpg").write_bytes(b"\xff\xd8\xff")
    response = client.get("/media/covers/abc.jpg")
    assert response.status_code == 200
    assert_security_headers(response.headers)
    assert client.get("/media/../config/settings.py").status_code in (400, 404)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """Just enough of a browser for a walk: cookies by hand (they are Secure-only)."""

    def __init__(self, base):
        self.base = base
        self.cookies = {}

    def request(self, path, data=None, **extra_headers):
        body = None
        headers = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1", **extra_headers}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
            headers["Referer"] = "https://127.0.0.1" + path
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        opener = urllib.request.build_opener(NoRedirect)
        try:
            response = opener.open(request, timeout=10)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, value = header.split(";", 1)[0].split("=", 1)
            self.cookies[name] = value
        return response.status, dict(response.headers), response.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@contextlib.contextmanager
def gunicorn(tmp_path, workers: int, **extra_env):
    """gunicorn on a free port of 127.0.0.1 with production settings against the test
    database; yields a Browser once it answers, and stops it afterwards."""
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "test-secret-key-that-is-long-and-random-enough-0123456789",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        **extra_env,
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}"]
        + ["-w", str(workers)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        browser = Browser(f"http://127.0.0.1:{port}")
        for _attempt in range(50):
            try:
                browser.request("/accounts/login/")
                break
            except OSError:
                time.sleep(0.2)
        yield browser
    finally:
        server.terminate()
        server.wait(timeout=10)


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_gunicorn_serves_the_main_pages_against_postgresql(tmp_path, settings):
    resident = AccountResidentFactory(household__building__is_pilot=True)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    resident.user.set_password("pass-word-123")  # with the hasher production uses
    resident.user.save()
    building = resident.household.building
    announcement = AnnouncementFactory(building=building, title="楼道清洁日")
    with gunicorn(tmp_path, workers=2) as browser:
        status, headers, body = browser.request(f"/c/{building.community_id}/")
        assert status == 200 and building.number in body.decode()
        assert_security_headers(headers)
        assert "max-age=" in headers.get("Strict-Transport-Security", "")

        css = re.search(
            rb'href="(/static/vendor/bootstrap/bootstrap\.min\.[0-9a-f]+\.css)"', body
        )
        assert css, "static files are not hashed"
        status, headers, plain_css = browser.request(css.group(1).decode())
        assert status == 200 and "max-age" in headers.get("Cache-Control", "")
        # Compressed ahead of time by collectstatic: Brotli where the browser takes it,
        # else gzip, and the page itself gzipped by the app.
        sizes = {}
        for encoding in ("br", "gzip"):
            status, headers, body = browser.request(
                css.group(1).decode(), **{"Accept-Encoding": f"{encoding}, deflate"}
            )
            assert status == 200 and headers.get("Content-Encoding") == encoding
            sizes[encoding] = len(body)
        assert sizes["br"] < sizes["gzip"] < len(plain_css) / 4
        status, headers, body = browser.request(
            f"/c/{building.community_id}/", **{"Accept-Encoding": "gzip"}
        )
        assert status == 200 and headers.get("Content-Encoding") == "gzip"
        assert building.number in gzip.decompress(body).decode()

        login(browser, resident.user.phone, "pass-word-123")
        for path in [
            building.get_absolute_url(),
            announcement.get_absolute_url(),
            "/me/",
        ]:
            status, headers, body = browser.request(path)
            assert status == 200, path
            assert_security_headers(headers)
        status, headers, _body = browser.request("/no-such-page/")
        assert status == 404
        assert_security_headers(headers)


def redis_url() -> str | None:
    """A Redis database of our own on 127.0.0.1, or None when there is no Redis."""
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as sock:
            sock.sendall(b"SELECT 7\r\nFLUSHDB\r\n")
            sock.recv(64)
    except OSError:
        return None
    return "redis://127.0.0.1:6379/7"


def login(browser, phone, password):
    _status, _headers, body = browser.request("/accounts/login/")
    status, _headers, body = browser.request(
        "/accounts/login/",
        {
            "csrfmiddlewaretoken": form_token(body),
            "username": phone,
            "password": password,
        },
    )
    assert status == 302, body[:300]


def form_token(body: bytes) -> str:
    return (
        re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        .group(1)
        .decode()
    )


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_several_workers_share_the_page_cache_and_never_serve_a_stale_page(
    tmp_path, settings
):
    """Three gunicorn workers and Redis: a "me too" made through one worker shows at
    once on pages every worker serves from the cache, and a neighbour served the page
    another built gets their own parts."""
    url = redis_url()
    if url is None:
        pytest.skip("no Redis on 127.0.0.1:6379")
    from tests.proposals.factories import IssueFactory

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    issue = IssueFactory(title="电梯按钮失灵")
    people = []
    for _n in range(2):
        person = AccountResidentFactory(household__building=issue.building).user
        person.set_password("pass-word-123")
        person.save()
        people.append(person)
    with gunicorn(
        tmp_path,
        workers=3,
        REDIS_URL=url,
        DATABASE_CONN_MAX_AGE="60",
        LOUZU_PAGE_CACHE_HEADER="1",  # production does not send it unless asked
    ) as first:
        second = Browser(first.base)
        login(first, people[0].phone, "pass-word-123")
        login(second, people[1].phone, "pass-word-123")
        path = issue.get_absolute_url()
        seen = set()
        for _look in range(6):
            status, headers, body = first.request(path)
            assert status == 200 and "0 位邻居也遇到" in body.decode()
            seen.add(headers.get("X-Page-Cache"))
        assert "hit" in seen
        status, headers, body = second.request(path)
        assert headers.get("X-Page-Cache") == "hit"  # built for the first neighbour
        status, _headers, _body = second.request(
            f"/buildings/{issue.building_id}/issues/{issue.pk}/support/",
            {"csrfmiddlewaretoken": form_token(body)},
        )
        assert status == 302
        second.request(path)  # shows, and so drops, the "counted" message
        for _look in range(6):  # whichever worker answers
            status, headers, body = first.request(path)
            html = body.decode()
            assert status == 200 and "1 位邻居也遇到" in html, headers
            assert "撤回我的“我也遇到”" not in html  # that is the second neighbour's
        status, _headers, body = second.request(path)
        assert "撤回我的“我也遇到”" in body.decode()
