"""What the root and core know of feature apps, they know from the apps' registrations:
the staff landing page, private photo folders, the kinds of notifications one may mute,
the checks after a restore, the tables a back-up counts and the writes the page cache
watches. Each test checks the outcome a person or an operator sees."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from buildings.notify import KINDS
from core import pagecache
from core.management.commands._backup import key_tables
from core.registry import RESTORE_CHECKS
from tests.factories import AccountResidentFactory, StaffFactory

pytestmark = pytest.mark.django_db


def test_staff_land_on_the_page_the_dashboard_registered(client):
    client.force_login(StaffFactory())
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:home")


@pytest.mark.parametrize(
    "folder,permission",
    [("ballot-slips", "view_ballot"), ("receipts", "view_receipt")],
)
def test_private_folders_registered_by_their_apps(client, folder, permission):
    name = default_storage.save(f"{folder}/slip.jpg", ContentFile(b"photo"))
    url = f"/media/{name}"
    resident = AccountResidentFactory().user
    client.force_login(resident)
    assert client.get(url).status_code == 404
    staff = StaffFactory()
    client.force_login(staff)
    assert client.get(url).status_code == 404  # staff, but not granted the permission
    staff.user_permissions.add(Permission.objects.get(codename=permission))
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"photo"


def test_a_folder_nobody_registered_is_served_to_everyone(client):
    name = default_storage.save("covers/front.jpg", ContentFile(b"cover"))
    client.force_login(AccountResidentFactory().user)
    assert client.get(f"/media/{name}").status_code == 200


def test_notification_settings_offer_the_kinds_apps_registered(client):
    user = AccountResidentFactory().user
    client.force_login(user)
    page = client.get(reverse("buildings:notification-settings")).content.decode()
    for kind in ("announcement", "fund_donation", "shift_reminder", "poll_open"):
        assert kind in KINDS
        assert f'value="{kind}"' in page


def test_restore_runs_the_checks_apps_registered():
    assert "check_ledger" in RESTORE_CHECKS
    assert "recount_polls" in RESTORE_CHECKS


def test_backup_counts_every_table_of_the_project():
    tables = key_tables()
    for table in (
        "buildings_resident",
        "funds_ledgerentry",
        "proposals_ballot",
        "activities_registration",
        "outbox_delivery",
    ):
        assert table in tables
    assert not any(table.startswith(("auth_", "django_", "axes_")) for table in tables)


def test_the_page_cache_watches_every_app_but_the_outbox():
    assert {
        "buildings",
        "proposals",
        "funds",
        "activities",
        "gardens",
    } <= pagecache.APPS
    assert "outbox" not in pagecache.APPS
