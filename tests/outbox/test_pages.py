"""The leader's WeCom robot page, the person's SMS choices, and the admin."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from outbox.models import Delivery, SmsBudget, SmsChoice, WecomRobot
from tests.module_data import roles_built_once
from tests.outbox.conftest import ROBOT_URL

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


def wecom_url(building):
    return reverse("outbox:wecom", args=[building.pk])


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abcdef12", "https://"),
        (
            "https://evil.example.com/cgi-bin/webhook/send?key=abcdef12",
            "qyapi.weixin.qq.com",
        ),
        (
            "https://qyapi.weixin.qq.com/cgi-bin/message/send?key=abcdef12",
            "/cgi-bin/webhook/send",
        ),
        ("https://qyapi.weixin.qq.com/cgi-bin/webhook/send", "key="),
        ("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=<script>", "key="),
        ("企业微信", "https://"),
    ],
)
def test_bad_robot_addresses_are_refused_with_a_clear_message(
    roles, login, address, message
):
    response = login(roles.leader).post(
        wecom_url(roles.building), {"webhook_url": address, "is_active": "on"}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not WecomRobot.objects.exists()


def test_leader_sets_up_and_removes_the_robot(roles, login):
    client = login(roles.leader)
    response = client.post(
        wecom_url(roles.building), {"webhook_url": f"  {ROBOT_URL} ", "is_active": "on"}
    )
    assert response.status_code == 302
    robot = WecomRobot.objects.get(building=roles.building)
    assert robot.webhook_url == ROBOT_URL and robot.updated_by == roles.leader
    page = client.get(wecom_url(roles.building))
    assert ROBOT_URL in page.content.decode()
    client.post(wecom_url(roles.building), {"webhook_url": ""})
    assert not WecomRobot.objects.exists()


def test_test_message_is_queued(roles, login):
    login(roles.leader).post(
        wecom_url(roles.building),
        {"webhook_url": ROBOT_URL, "is_active": "on", "test": "1"},
    )
    assert Delivery.objects.filter(building=roles.building, kind="test").exists()


@pytest.mark.parametrize("who", ["resident", "team", "outsider", "visitor"])
def test_only_the_leader_configures_the_robot(roles, login, who):
    response = login(getattr(roles, who)).post(
        wecom_url(roles.building), {"webhook_url": ROBOT_URL}
    )
    assert response.status_code in (302, 403, 404)
    if response.status_code == 302:
        assert "/login/" in response["Location"]
    assert not WecomRobot.objects.exists()


def test_robot_page_in_english(roles, login):
    client = login(roles.leader)
    with translation.override("en"):
        response = client.get(wecom_url(roles.building), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200


def test_person_chooses_sms_per_kind(roles, login):
    client = login(roles.resident)
    url = reverse("outbox:sms-choices")
    assert client.get(url).status_code == 200
    data = {
        "poll_closing": "sms",
        "waitlist_promoted": "inbox",
        "activity_changed": "inbox",
        "activity_cancelled": "sms",
        "poll_changed": "inbox",
        "campaign_cancelled": "inbox",
        "meeting": "sms",
        "shift_reminder": "inbox",
        "issue_status": "inbox",
    }
    assert client.post(url, data).status_code == 302
    assert set(
        SmsChoice.objects.filter(user=roles.resident).values_list("kind", flat=True)
    ) == {
        "poll_closing",
        "activity_cancelled",
        "meeting",
    }
    data["meeting"] = "inbox"
    client.post(url, data)
    assert set(SmsChoice.objects.values_list("kind", flat=True)) == {
        "poll_closing",
        "activity_cancelled",
    }


def test_a_forged_choice_changes_nothing(roles, login):
    client = login(roles.resident)
    response = client.post(
        reverse("outbox:sms-choices"), {"poll_closing": "fax", "meeting": "sms"}
    )
    assert response.status_code == 200
    assert not SmsChoice.objects.exists()


def test_notification_settings_page_leads_to_sms_choices(roles, login):
    page = login(roles.resident).get(reverse("buildings:notification-settings"))
    assert reverse("outbox:sms-choices") in page.content.decode()


def test_building_page_says_which_channels_it_has(roles, login):
    SmsBudget.objects.create(community=roles.building.community, monthly_limit=50)
    WecomRobot.objects.create(building=roles.building, webhook_url=ROBOT_URL)
    page = login(roles.resident).get(roles.building.get_absolute_url()).content.decode()
    with translation.override("zh-hans"):
        from django.utils.translation import gettext

        assert gettext("WeCom group robot: posts to the building group") in page
        assert gettext("SMS: for the kinds each person chooses") in page


def test_admin_lists_deliveries_read_only(roles, login, django_user_model):
    Delivery.objects.create(
        channel="sms", phone="13800001234", kind="meeting", text="开会"
    )
    admin = django_user_model.objects.create_superuser("16600000001", "x-Very-long-1")
    client = login(admin)
    listing = client.get(reverse("admin:outbox_delivery_changelist"))
    assert listing.status_code == 200 and "开会" in listing.content.decode()
    assert client.get(reverse("admin:outbox_delivery_add")).status_code == 403
    delivery = Delivery.objects.get()
    detail = client.get(reverse("admin:outbox_delivery_change", args=[delivery.pk]))
    assert "13800001234" not in detail.content.decode()  # only the masked number
    assert client.get(reverse("admin:outbox_wecomrobot_changelist")).status_code == 200
    assert client.get(reverse("admin:outbox_smsbudget_changelist")).status_code == 200


def test_residents_never_see_the_admin(roles, login):
    response = login(roles.leader).get(reverse("admin:outbox_delivery_changelist"))
    assert response.status_code == 302


def test_sms_page_in_english_names_each_kind_and_a_muted_one(
    roles, login, django_assert_max_num_queries
):
    from buildings.models import NotificationMute

    NotificationMute.objects.create(user=roles.resident, kind="meeting")
    SmsChoice.objects.create(user=roles.resident, kind="poll_closing")
    client = login(roles.resident)
    client.cookies["django_language"] = "en"
    with django_assert_max_num_queries(10):
        page = client.get(reverse("outbox:sms-choices")).content.decode()
    assert "Inbox only" in page and "Inbox + SMS" in page
    assert "You switched these messages off" in page
    checked = re.findall(r'name="([a-z_]+)" value="(\w+)"[^>]*checked', page)
    assert ("poll_closing", "sms") in checked and ("meeting", "inbox") in checked
    assert "<script" not in page.split("</main>")[0].split("<main")[1]


def test_building_page_without_channels_says_so_in_english(roles, login):
    client = login(roles.resident)
    client.cookies["django_language"] = "en"
    page = client.get(roles.building.get_absolute_url()).content.decode()
    assert "In-app inbox: always" in page
    assert "SMS: not offered in this community" in page
    assert "WeCom group robot: not set up" in page
