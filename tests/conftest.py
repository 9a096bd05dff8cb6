import pytest
from django.core.cache import cache
from django.utils import translation

from core import pagecache
from tests.factories import AccountResidentFactory, BuildingFactory, StaffFactory


@pytest.fixture(autouse=True)
def _fast_and_private(settings, tmp_path):
    """Fast hashing, media in a temp folder, nothing sent anywhere, zh-hans first."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
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
    """One person per role around one building (DESIGN.md section 4)."""

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
        self.staff = StaffFactory()

    def get(self, role):
        return getattr(self, role)


ALL_ROLES = ["visitor", "outsider", "pending", "resident", "team", "leader", "staff"]


@pytest.fixture
def roles(building):
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
