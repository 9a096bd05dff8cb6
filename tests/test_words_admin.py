"""The Django admin speaks Chinese in zh-hans: app and model names (the third-party apps'
too), and lists show status labels, never raw codes."""

import re

import pytest

from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_app_and_model_in_the_admin_index_is_named_in_chinese(client):
    client.force_login(StaffFactory(is_superuser=True))
    page = client.get("/admin/").content.decode()
    names = re.findall(r"<caption>\s*<a[^>]*>(.*?)</a>", page, re.S)
    names += re.findall(r'<th scope="row"[^>]*>\s*<a[^>]*>(.*?)</a>', page, re.S)
    assert len(names) > 20
    english = [name.strip() for name in names if not CJK.search(name)]
    assert english == [], "; ".join(english)


def test_admin_lists_show_what_a_notification_is_not_its_code(client):
    """Every kind, those people may switch off and those always delivered (a place on
    the team, moved out), is shown in words."""
    from django.utils import translation

    from buildings.admin import UNLISTED_NOTIFICATION_KINDS
    from buildings.models import Notification
    from buildings.notify import ALWAYS_DELIVERED, KINDS

    superuser = StaffFactory(is_superuser=True)
    kinds = {
        kind: label
        for kind, label in (KINDS | ALWAYS_DELIVERED).items()
        if kind not in UNLISTED_NOTIFICATION_KINDS
    }
    for kind in kinds:
        Notification.objects.create(recipient=superuser, kind=kind, text="…")
    client.force_login(superuser)
    page = client.get("/admin/buildings/notification/").content.decode()
    cells = re.findall(r'<td class="field-notification_kind">(.*?)</td>', page)
    with translation.override("zh-hans"):
        assert sorted(cells) == sorted(str(label) for label in kinds.values())
    assert all(CJK.search(cell) for cell in cells)
    assert not set(cells) & set(kinds)
    filtered = client.get("/admin/buildings/notification/", {"kind": "team_role"})
    cells = re.findall(
        r'<td class="field-notification_kind">(.*?)</td>', filtered.content.decode()
    )
    with translation.override("zh-hans"):
        assert cells == [str(ALWAYS_DELIVERED["team_role"])]


@pytest.mark.parametrize(
    "path",
    [
        "/admin/buildings/notification/",
        "/admin/buildings/notificationmute/",
        "/admin/outbox/delivery/",
        "/admin/outbox/smschoice/",
    ],
)
def test_the_kind_filter_lists_names_and_filters_by_them(client, path):
    from django.utils import translation

    from buildings.models import Notification
    from buildings.notify import KINDS

    superuser = StaffFactory(is_superuser=True)
    Notification.objects.create(
        recipient=superuser, kind="poll_closed", text="投票结束"
    )
    Notification.objects.create(recipient=superuser, kind="issue_new", text="新诉求")
    client.force_login(superuser)
    page = client.get(path).content.decode()
    with translation.override("zh-hans"):
        assert f">{KINDS['poll_closed']}</a>" in page
    assert ">poll_closed</a>" not in page
    filtered = client.get(path, {"kind": "poll_closed"})
    assert filtered.status_code == 200
    if path.endswith("/notification/"):
        body = filtered.content.decode()
        assert "投票结束" in body and "新诉求" not in body
