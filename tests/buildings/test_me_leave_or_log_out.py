"""我的: logging out and leaving Louzu are two separate things, shown apart: logging out
is an ordinary button in its own section; leaving is a danger section of its own, last,
explained, and confirmed on the next page with the password."""

import re

import pytest
from django.urls import reverse

from buildings.models import User
from tests.factories import AccountResidentFactory

pytestmark = pytest.mark.django_db


def sections(html: str) -> dict[str, str]:
    """The page's sections by id."""
    found = re.findall(r'<section[^>]*id="([^"]+)"[^>]*>(.*?)</section>', html, re.S)
    return dict(found)


@pytest.fixture
def resident_client(client):
    resident = AccountResidentFactory()
    client.force_login(resident.user)
    return client, resident.user


def test_log_out_and_leave_are_separate_sections(resident_client):
    client, _user = resident_client
    html = client.get(reverse("buildings:me")).content.decode()
    parts = sections(html)
    log_out, leave = parts["log-out"], parts["leave-louzu"]
    assert f'action="{reverse("logout")}"' in log_out
    assert 'method="post"' in log_out
    assert reverse("buildings:leave") not in log_out
    assert reverse("buildings:leave") in leave
    assert "logout" not in leave
    assert "border-danger" in html[html.index('id="leave-louzu"') - 80 :][:120]
    # leaving is last, after logging out, and says it is not logging out
    assert html.index('id="log-out"') < html.index('id="leave-louzu"')
    assert "注销" in leave or "not logging out" in leave


def test_the_log_out_button_logs_out_and_keeps_the_account(resident_client):
    client, user = resident_client
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    user.refresh_from_db()
    assert user.is_active and user.name and User.objects.filter(pk=user.pk).exists()


def test_the_leave_page_asks_for_the_password_and_offers_log_out_instead(
    resident_client,
):
    client, user = resident_client
    html = client.get(reverse("buildings:leave")).content.decode()
    assert 'name="password"' in html
    assert f'action="{reverse("logout")}"' in html
    client.post(reverse("buildings:leave"), {})  # no password: nothing happens
    user.refresh_from_db()
    assert user.is_active


def test_visitors_are_sent_to_log_in(client):
    for name in ("buildings:me", "buildings:leave"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert reverse("login") in response["Location"]
