"""Hostile input on every form and query parameter, as every role: never a 500.

The sweep loads the demo community, then, as each role, crawls the pages it can reach
from the home page, the dashboard and the Django admin. On every page it finds the
forms and fills every field with hostile values (script, SQL, Unicode digits, NUL and
control characters, bidi and zero-width text, very long text, spreadsheet formulas),
and it sends every query parameter the views read with hostile values too. Each
answer must be no 500 and no unescaped script; on PostgreSQL, a long text that was
accepted must be stored whole, never cut short. The values rotate over the fields, so
every field sees several of them without paying for the full cross product.
"""

import re
import zlib
from collections import Counter
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, models
from django.db.models import Q

from buildings.models import Resident, User
from tests.module_data import built_once

# The sweeps run one after another in one pytest-xdist worker, which seeds the demo
# community once (in two workers each would seed it).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("hostile")]

SCRIPT = '<script>alert("louzu")</script>'
LONG_TAG = "LZLONG"
HOSTILE = [
    SCRIPT,
    "' OR 1=1; DROP TABLE buildings_user; --",
    "²³",
    "１２３",
    "٣٤",
    "12\x00",
    "\u202etxt.exe\u202c",
    "a\u200bb\u200dc",
    '=HYPERLINK("http://x","y")',
    "a\x07b\x1bc",
    None,  # a very long text with a unique mark, made per submission
    '"><img src=x onerror=alert(1)>',
    "-1",
    "99999999999999999999",
]
ROUNDS = 2  # hostile rounds per form; field i in round r gets HOSTILE[i + r * STEP]
LONG_ROUNDS = 6  # text fields per form that are each sent one very long text
STEP = 5
PAGES_PER_ROLE = 110
SAME_SHAPE = 2  # pages kept per URL shape (/issues/12/ and /issues/13/ look alike)
SKIP = ("/media/", "/static/", "/accounts/logout/", "/i18n/", "/admin/logout/")
ERROR_MARKS = (
    "is-invalid",
    "errorlist",
    "alert-danger",
    "alert-warning",
    "invalid-feedback",
    "errornote",
)
ROOT = Path(__file__).resolve().parent.parent


def query_parameters():
    """Every query parameter a view reads, found in the source."""
    names = {"q", "p", "o", "e", "_changelist_filters"}
    pattern = re.compile(r"request\.GET(?:\.get\(|\[)\s*[\"'](\w+)[\"']")
    for app in (
        "buildings",
        "proposals",
        "funds",
        "activities",
        "gardens",
        "dashboard",
    ):
        for path in (ROOT / app).rglob("*.py"):
            names.update(pattern.findall(path.read_text()))
    return sorted(names)


class Page(HTMLParser):
    """The links and forms of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []
        self.forms = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._form = {
                "action": attrs.get("action") or "",
                "method": (attrs.get("method") or "get").lower(),
                "fields": [],
            }
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and attrs.get("name"):
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                kind = "unchecked-" + kind
            self._form["fields"].append(
                {"name": attrs["name"], "type": kind, "value": attrs.get("value", "")}
            )
        elif tag == "textarea" and attrs.get("name"):
            self._textarea = {"name": attrs["name"], "type": "textarea", "value": ""}
            self._form["fields"].append(self._textarea)
        elif tag == "select" and attrs.get("name"):
            self._select = {"name": attrs["name"], "type": "select", "value": None}
            self._form["fields"].append(self._select)
        elif tag == "option" and self._select is not None:
            if self._select["value"] is None or "selected" in attrs:
                value = attrs.get("value", "")
                if value or self._select["value"] is None:
                    self._select["value"] = value

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


FILLABLE = {
    "text",
    "textarea",
    "select",
    "number",
    "tel",
    "email",
    "search",
    "password",
    "date",
    "datetime-local",
    "time",
    "url",
    "unchecked-checkbox",
}


# Round 0 fills only the text fields with hostile values and the others plausibly,
# so that a long text reaches the code that stores it.
PLAUSIBLE = {
    "number": "2",
    "tel": "13812345678",
    "email": "a@example.com",
    "date": "2026-12-20",
    "datetime-local": "2026-12-20T10:00",
    "time": "10:00",
    "url": "https://example.com/",
}


def text_columns():
    """{table: (model, its text columns)} for every model with any: one query per
    model finds a mark in any of them."""
    found = {}
    for model in apps.get_models():
        if model._meta.proxy:
            continue  # its table is its concrete model's
        columns = [
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, (models.CharField, models.TextField))
        ]
        if columns:
            found[model._meta.db_table] = (model, columns)
    return found


WRITES = re.compile(r'\b(?:INTO|UPDATE)\s+[`"]?(\w+)', re.IGNORECASE)


class TablesWritten:
    """The tables a request inserted into or updated (connection.execute_wrapper):
    a long text sent with a unique mark can only be stored in one of them, so only
    their rows are searched for it, not every table's."""

    def __init__(self):
        self.tables = set()

    def __call__(self, execute, sql, params, many, context):
        self.tables.update(WRITES.findall(sql))
        return execute(sql, params, many, context)


class Sweep:
    def __init__(self, client):
        self.client = client
        self.params = query_parameters()
        self.problems = []
        self.counter = 0
        self.requests = 0
        self.long_values = {}
        self.columns = text_columns()

    # --- one request -----------------------------------------------------------

    def hostile(self, index):
        value = HOSTILE[index % len(HOSTILE)]
        if value is None:
            self.counter += 1
            mark = f"{LONG_TAG}{self.counter:05d}"
            value = mark + "长" * 3000
            self.long_values[mark] = value
        return value

    def check(self, response, what):
        self.requests += 1
        if response.status_code >= 500:
            self.problems.append(f"{response.status_code} {what}")
            return False
        content_type = response.get("Content-Type", "")
        if "html" in content_type:
            content = response.content.decode(errors="replace")
            if SCRIPT in content or "<img src=x onerror" in content:
                self.problems.append(f"unescaped markup {what}")
        return True

    def get(self, url, what):
        try:
            response = self.client.get(url)
        except Exception as error:  # noqa: BLE001 -- a crash is what we look for
            self.problems.append(f"{type(error).__name__}: {error} GET {what}")
            return None
        self.check(response, f"GET {what}")
        return response

    def post(self, url, data, what, written=None):
        try:
            if written is None:
                response = self.client.post(url, data)
            else:
                with connection.execute_wrapper(written):
                    response = self.client.post(url, data)
        except Exception as error:  # noqa: BLE001
            self.problems.append(f"{type(error).__name__}: {error} POST {what}")
            return None
        if not self.check(response, f"POST {what}"):
            return response
        response.followed = None
        if response.status_code in (301, 302, 303) and response.url.startswith("/"):
            response.followed = self.client.get(response.url)
            self.check(response.followed, f"GET after POST {what}")
        return response

    # --- crawling --------------------------------------------------------------

    def crawl(self, starts, role):
        seen, shapes, queue, pages = set(), Counter(), list(starts), []
        while queue and len(pages) < PAGES_PER_ROLE:
            url = queue.pop(0)
            if url in seen:
                continue
            seen.add(url)
            parts = urlsplit(url)
            shape = (
                re.sub(r"\d+", "N", parts.path)
                + "?"
                + ",".join(sorted(name for name, _value in parse_qsl(parts.query)))
            )
            if shapes[shape] >= SAME_SHAPE:
                continue
            shapes[shape] += 1
            response = self.get(url, f"{url} as {role}")
            if response is None:
                continue
            if response.status_code in (301, 302) and response.url.startswith("/"):
                queue.append(response.url)
                continue
            if response.status_code != 200:
                continue
            if "html" not in response.get("Content-Type", ""):
                continue
            page = Page()
            page.feed(response.content.decode(errors="replace"))
            pages.append((url, page))
            for href in page.links:
                link = urljoin(url, href).split("#")[0]
                target = urlsplit(link)
                if target.scheme or target.netloc:
                    continue  # another site
                if link.startswith("/") and not link.startswith(SKIP):
                    queue.append(link)
        return pages

    # --- the hostile part ------------------------------------------------------

    def query_strings(self, url, role):
        """Each page again with its own and every known parameter set hostile. The
        values are rotated by the page's path, so that over the crawl each parameter
        meets most of HOSTILE (with one rotation for all pages, each would meet the same
        one or two values on every page)."""
        parts = urlsplit(url)
        own = [name for name, _value in parse_qsl(parts.query, keep_blank_values=True)]
        names = list(dict.fromkeys(own + self.params))
        offset = zlib.crc32(parts.path.encode()) % len(HOSTILE)
        query = {name: self.hostile(index + offset) for index, name in enumerate(names)}
        self.get(f"{parts.path}?{urlencode(query)}", f"{parts.path} ?{role}")

    def forms(self, url, page, role):
        for form in page.forms:
            action = urljoin(url, form["action"] or url)
            if urlsplit(action).path.startswith(SKIP):
                continue
            fields = [
                f
                for f in form["fields"]
                if f["type"] in FILLABLE and "__prefix__" not in f["name"]
            ]  # an admin inline's __prefix__ row is a template for scripts
            if not fields:
                continue  # a bare button (cancel, leave, delete): not input
            base = {
                f["name"]: f["value"] or ""
                for f in reversed(form["fields"])
                if f["type"] not in FILLABLE
                and not f["type"].startswith("unchecked")
                and f["type"] not in ("file", "submit", "button", "image", "reset")
            }
            texts = [f for f in fields if f["type"] in ("text", "textarea")]
            if form["method"] == "post" and connection.vendor == "postgresql":
                # One very long text per text field, the others plausible, so that
                # it reaches the code that stores it: kept whole or refused. Only
                # PostgreSQL holds a column to its length (SQLite stores any text
                # whole), so these rounds run there; a cut in the app's own code
                # shows there as well.
                for field in texts[:LONG_ROUNDS]:
                    data = dict(base)
                    for other in fields:
                        value = other["value"] or PLAUSIBLE.get(other["type"])
                        if value is not None:
                            data[other["name"]] = value
                    data[field["name"]] = self.hostile(HOSTILE.index(None))
                    self.submit(form, action, data, role, long=field["name"])
            offset = zlib.crc32(action.encode()) % len(HOSTILE)
            for round_ in range(ROUNDS):
                data = dict(base)
                for index, field in enumerate(fields):
                    data[field["name"]] = self.hostile(index + offset + round_ * STEP)
                self.submit(form, action, data, role)

    def submit(self, form, action, data, role, long=None):
        what = f"{action} as {role} with {summary(data)}"
        if form["method"] != "post":
            self.get(f"{urlsplit(action).path}?{urlencode(data)}", what)
            return
        written = TablesWritten() if long is not None else None
        response = self.post(action, data, what, written)
        if response is None or response.status_code >= 500 or long is None:
            return
        mark = data[long][: len(LONG_TAG) + 5]
        full = self.long_values[mark]
        stored = []
        for table in sorted(written.tables & self.columns.keys()):
            model, columns = self.columns[table]
            anywhere = Q()
            for column in columns:
                anywhere |= Q(**{f"{column}__startswith": mark})
            for row in model._base_manager.filter(anywhere).values_list(*columns):
                stored += [
                    (model, column, value)
                    for column, value in zip(columns, row, strict=True)
                    # as the filter matched (LIKE ignores ASCII case on SQLite)
                    if isinstance(value, str)
                    and value[: len(mark)].casefold() == mark.casefold()
                ]
        for model, column, value in stored:
            if value.strip() != full:
                self.problems.append(
                    f"{model.__name__}.{column} kept {len(value)} of {len(full)} "
                    f"characters: {what}"
                )
        if stored or response.status_code in (403, 404, 405):
            return
        said = (response.followed or response).content.decode(errors="replace")
        if not any(mark in said for mark in ERROR_MARKS):
            self.problems.append(f"long {long} neither stored nor refused: {what}")


def summary(data):
    return {
        name: (
            value[:12] + "…" if isinstance(value, str) and len(value) > 12 else value
        )
        for name, value in data.items()
        if name != "csrfmiddlewaretoken"
    }


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The demo community, seeded once for the module (not once per role) and rolled
    back after it; each role's sweep runs in its own transaction inside it, so what one
    role's hostile posts stored is gone before the next role starts."""
    yield from built_once(django_db_blocker, _seed_demo)


def _seed_demo():
    call_command("seed_demo", stdout=StringIO())
    superuser = User.objects.create_superuser(phone="13900000000", password="x")
    leader = Resident.objects.get(user__phone="13800000001")
    return {
        "visitor": None,
        "outsider": User.objects.get(phone="13800000006"),  # 16号楼, not 8号楼
        "resident": User.objects.get(phone="13800000003"),
        "team": User.objects.get(phone="13800000002"),
        "leader": leader.user,
        "staff": User.objects.get(phone="13800000009"),
        "superuser": superuser,
        "building": leader.household.building,
    }


@pytest.fixture
def demo(settings, demo_data):
    settings.LOUZU_PAGE_CACHE_VERIFY = False  # a crawl, not a cache test
    settings.AXES_ENABLED = False  # hostile log-ins must not lock the sweep out
    return demo_data


# The longest sweeps first (see tests/conftest.py: the workers start them early).
STARTS = {
    "staff": ["/", "/dashboard/", "/buildings/{b}/", "/admin/"],
    "superuser": ["/admin/"],
    "leader": ["/", "/buildings/{b}/"],
    "team": ["/", "/buildings/{b}/"],
    "resident": ["/", "/buildings/{b}/"],
    "outsider": ["/", "/buildings/{b}/"],
    "visitor": ["/", "/accounts/login/", "/accounts/register/"],
}


@pytest.mark.parametrize("role", list(STARTS))
def test_hostile_input_sweep(client, demo, role):
    if demo[role] is not None:
        client.force_login(demo[role])
    sweep = Sweep(client)
    starts = [start.format(b=demo["building"].pk) for start in STARTS[role]]
    pages = sweep.crawl(starts, role)
    assert len(pages) >= 3, f"the crawl as {role} found too little: {pages}"
    for url, page in pages:
        sweep.query_strings(url, role)
        sweep.forms(url, page, role)
    assert not sweep.problems, "\n".join(
        [f"{len(sweep.problems)} problems in {sweep.requests} requests:"]
        + sweep.problems[:60]
    )
