import os

import pytest
from auditlog.context import disable_auditlog
from django.core.cache import cache
from django.utils import translation

from core import pagecache
from tests.factories import (
    AccountResidentFactory,
    BuildingFactory,
    CommunityFactory,
    StaffFactory,
    TownFactory,
)


def on_postgres() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def pytest_report_header(config):
    if on_postgres():
        return "database: PostgreSQL (tests marked sqlite are not collected)"
    return (
        "database: SQLite (tests marked postgres, the concurrency proofs and back-ups,"
        " are not collected: set DATABASE_URL=postgres://... to run them)"
    )


def pytest_collection_modifyitems(config, items):
    """Tests for the other database are deselected rather than skipped, so the two runs
    of .ci/run together run every test and each lists no skip.

    The browser journeys are spread over the workers like any other test (each worker
    starts its own Chromium and live server the first time it needs them): in one worker
    they took longer than the rest of the suite in the other.

    The longest tests (the crawls, one role each, and the page audits) come first: the
    workers take tests in this order as they free up, so the long ones start early and
    the short ones fill in around them, rather than one long test running alone at the
    end."""
    other = "sqlite" if on_postgres() else "postgres"
    kept, dropped = [], []
    for item in items:
        (dropped if item.get_closest_marker(other) else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
    kept.sort(key=_longest_first)  # stable: the rest keep their order
    items[:] = kept


# Modules whose tests each take from several seconds to minutes, longest first.
LONGEST = [
    "tests/browser/test_page_quality.py",
    "tests/test_hostile_input.py",
    "tests/test_secrets_crawl.py",
    "tests/browser/test_keyboard.py",
    "tests/browser/test_long_words.py",
]


def _longest_first(item) -> int:
    module = item.nodeid.split("::")[0]
    return LONGEST.index(module) if module in LONGEST else len(LONGEST)


def pytest_sessionfinish(session, exitstatus):
    """LOUZU_NO_SKIPS=1 (set by .ci/run): a skipped test fails the run, so nothing CI
    is meant to prove goes quietly unproved (no Chromium, no Redis, no pg_dump...)."""
    if os.environ.get("LOUZU_NO_SKIPS") != "1" or hasattr(
        session.config, "workerinput"
    ):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped and exitstatus == 0:
        reporter.write_line(
            f"LOUZU_NO_SKIPS=1: {len(skipped)} test(s) skipped (listed above).",
            red=True,
        )
        session.exitstatus = 1


FAST_HASHING = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """On PostgreSQL, a commit in the tests does not wait for the disk
    (synchronous_commit off): what a transaction sees and locks is unchanged, so the
    races are the same; only a crash could lose the last commits, of a database
    dropped after the run anyway."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.postgresql":
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c synchronous_commit=off"


@pytest.fixture(scope="session", autouse=True)
def _fast_hashing():
    """Fast password hashing for the whole run, the data that module-scoped fixtures
    build included (the production hasher takes a quarter of a second a password)."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=FAST_HASHING):
        yield


@pytest.fixture(autouse=True)
def _fast_and_private(settings, tmp_path):
    """Media in a temp folder, nothing sent anywhere, zh-hans first."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LOUZU_NOTIFICATION_SENDERS = []
    # Every page served from the page cache is also rendered fresh and must match.
    settings.LOUZU_PAGE_CACHE_VERIFY = True
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    translation.activate("zh-hans")
    cache.clear()
    pagecache._building_community.clear()  # ids are reused from one test to the next
    yield
    translation.deactivate()


@pytest.fixture
def building(db):
    return BuildingFactory()


class Roles:
    """One person per role around one building (docs/architecture.md, "Who may do what")."""

    def __init__(self, building):
        self.building = building
        self.visitor = None
        other = BuildingFactory(community=building.community)
        self.outsider = AccountResidentFactory(household__building=other).user
        self.pending = AccountResidentFactory(
            household__building=building, status="pending"
        ).user
        self.resident = AccountResidentFactory(household__building=building).user
        self.team = AccountResidentFactory(
            household__building=building, role="team"
        ).user
        self.leader = AccountResidentFactory(
            household__building=building, role="leader"
        ).user
        community = building.community
        # Staff hold a post in a community (or a town): "staff" answers for the
        # building's community; "other_staff" for a community of another town, and
        # sees nothing of this building; "town_staff" for the building's town.
        self.staff = StaffFactory(communities=[community])
        elsewhere = CommunityFactory(town=TownFactory(name="月浦镇"))
        BuildingFactory(community=elsewhere)
        self.other_staff = StaffFactory(communities=[elsewhere])
        self.town_staff = (
            StaffFactory(towns=[community.town]) if community.town else None
        )

    def get(self, role):
        return getattr(self, role)


ALL_ROLES = ["visitor", "outsider", "pending", "resident", "team", "leader", "staff"]
# With the staff of another community (who see this building as an outsider does) and
# the staff of the building's town (who see it as its own staff do).
STAFF_ROLES = ["staff", "other_staff", "town_staff"]


@pytest.fixture
def roles(building):
    """The people around the building are the stage, not what a test checks: making
    them is not written to the audit log (which costs more than making them, in ~2000
    tests). Whatever a test then does to them is recorded as usual. A module can have
    them made once for all its tests instead: tests.module_data.roles_built_once()."""
    with disable_auditlog():
        return Roles(building)


@pytest.fixture
def login(client):
    """login(user) logs the test client in (None stays a visitor) and returns it."""

    def _login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return _login
