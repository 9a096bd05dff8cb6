"""Register with a phone, ask to join, leader decides; bad input changes nothing."""

import pytest
from django.urls import reverse

from buildings.models import Notification, Resident, User
from core.sms import console
from tests.factories import (
    AccountResidentFactory,
    BuildingFactory,
    HouseholdFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "lobby-door-2026"


def register(client, phone="13912345678", name="张阿姨", password=GOOD_PASSWORD):
    """Ask for a code by text message, then register with it (as a person would)."""
    console.outbox.clear()
    client.post(reverse("register"), {"phone": phone, "action": "send"})
    code = console.outbox[-1].params["code"] if console.outbox else "000000"
    return client.post(
        reverse("register"),
        {
            "phone": phone,
            "code": code,
            "name": name,
            "password1": password,
            "password2": password,
        },
    )


def test_register_then_join_then_approved_sees_building(client, building):
    household = HouseholdFactory(building=building, room="302")
    leader = AccountResidentFactory(household__building=building, role="leader").user

    response = register(client, phone="139 1234 5678")
    assert response.status_code == 302
    user = User.objects.get(phone="13912345678")

    assert client.get(building.get_absolute_url()).status_code == 404
    url = reverse("buildings:join", args=[building.community.pk])
    response = client.post(
        url,
        {"building": building.pk, "room": "302室", "name": "张阿姨", "is_adult": "on"},
    )
    assert response.status_code == 302
    membership = Resident.objects.get(user=user)
    assert membership.status == Resident.Status.PENDING
    assert membership.household == household
    assert Notification.objects.filter(recipient=leader, kind="join_request").exists()
    assert client.get(building.get_absolute_url()).status_code == 404

    client.force_login(leader)
    approve = reverse(
        "buildings:decide-join", args=[building.pk, membership.pk, "approve"]
    )
    assert client.post(approve).status_code == 302

    client.force_login(user)
    page = client.get(building.get_absolute_url())
    assert page.status_code == 200
    assert building.number in page.content.decode()
    assert Notification.objects.filter(recipient=user, kind="join_decided").exists()


def test_reject_needs_a_reason_and_the_person_sees_it(client, building):
    applicant = AccountResidentFactory(household__building=building, status="pending")
    leader = AccountResidentFactory(household__building=building, role="leader").user
    client.force_login(leader)
    url = reverse("buildings:decide-join", args=[building.pk, applicant.pk, "reject"])

    client.post(url, {"reason": "  "})
    applicant.refresh_from_db()
    assert applicant.status == Resident.Status.PENDING

    client.post(url, {"reason": "房号不对,请核对后重新申请"})
    applicant.refresh_from_db()
    assert applicant.status == Resident.Status.REJECTED
    client.force_login(applicant.user)
    page = client.get(reverse("buildings:me")).content.decode()
    assert "房号不对,请核对后重新申请" in page


def test_a_rejected_person_may_ask_again(client, building):
    HouseholdFactory(building=building, room="402")
    applicant = AccountResidentFactory(household__building=building, status="rejected")
    client.force_login(applicant.user)
    url = reverse("buildings:join", args=[building.community.pk])
    client.post(url, {"building": building.pk, "room": "402", "name": applicant.name})
    assert applicant.user.memberships.filter(status="pending").count() == 1


def test_deciding_twice_is_refused(client, building):
    applicant = AccountResidentFactory(household__building=building, status="pending")
    leader = AccountResidentFactory(household__building=building, role="leader").user
    client.force_login(leader)
    url = reverse("buildings:decide-join", args=[building.pk, applicant.pk, "approve"])
    client.post(url)
    response = client.post(
        reverse("buildings:decide-join", args=[building.pk, applicant.pk, "reject"]),
        {"reason": "改主意"},
        follow=True,
    )
    applicant.refresh_from_db()
    assert applicant.status == Resident.Status.APPROVED
    assert "这个申请已经处理过了" in response.content.decode()


@pytest.mark.parametrize(
    "phone",
    [
        "12345",
        "1381234567",
        "23812345678",
        "138123456789",
        "abcdefghijk",
        "",
        "1" * 10_000,
    ],
)
def test_malformed_phone_numbers_are_refused(client, phone):
    response = register(client, phone=phone)
    assert response.status_code == 200
    assert User.objects.count() == 0
    assert "form-control is-invalid" in response.content.decode()


def test_full_width_and_prefixed_phone_is_normalised(client):
    register(client, phone="+86 １３９-１２３４-５６７８")
    assert User.objects.filter(phone="13912345678").exists()


def test_registering_a_registered_number_tells_a_stranger_nothing(client):
    UserFactory(phone="13912345678", name="王伯伯")
    console.outbox.clear()
    for phone in ["13912345678", "13912345679"]:  # registered, and not
        client.post(reverse("register"), {"phone": phone, "action": "send"})
    sent = next(m for m in console.outbox if m.phone == "13912345678")
    wrong = f"{(int(sent.params['code']) + 1) % 1_000_000:06d}"
    response = client.post(
        reverse("register"),
        {
            "phone": "13912345678",
            "code": wrong,  # not the code the phone received
            "name": "张阿姨",
            "password1": GOOD_PASSWORD,
            "password2": GOOD_PASSWORD,
        },
    )
    assert "验证码不对或已过期" in response.content.decode()
    assert "这个手机号已经" not in response.content.decode()
    assert User.objects.count() == 1
    # Both numbers were sent a code, so the answer and the phone bill are the same.
    assert sorted(m.phone for m in console.outbox) == ["13912345678", "13912345679"]


def test_owner_of_a_registered_number_is_logged_in_to_their_account(client):
    owner = UserFactory(phone="13912345678", name="王伯伯")
    response = register(client, phone="13912345678", name="张阿姨")
    assert response.status_code == 302
    assert User.objects.count() == 1
    owner.refresh_from_db()
    assert owner.name == "王伯伯"  # nothing about the account was changed
    assert client.get(reverse("buildings:me")).wsgi_request.user == owner


def test_ten_thousand_character_name_is_refused(client):
    response = register(client, name="张" * 10_000)
    assert response.status_code == 200
    assert User.objects.count() == 0


def test_room_that_does_not_exist(client, building):
    HouseholdFactory(building=building, room="302")
    client.force_login(UserFactory())
    url = reverse("buildings:join", args=[building.community.pk])
    response = client.post(
        url, {"building": building.pk, "room": "999", "name": "张阿姨"}
    )
    assert response.status_code == 200
    assert "没有 999 室" in response.content.decode()
    assert Resident.objects.count() == 0


def test_join_a_building_of_another_community(client, building):
    elsewhere = BuildingFactory()
    HouseholdFactory(building=elsewhere, room="101")
    client.force_login(UserFactory())
    url = reverse("buildings:join", args=[building.community.pk])
    response = client.post(
        url, {"building": elsewhere.pk, "room": "101", "name": "张阿姨"}
    )
    assert response.status_code == 200
    assert Resident.objects.count() == 0
    assert "is-invalid" in response.content.decode()


def test_forged_building_id_on_join(client, building):
    client.force_login(UserFactory())
    url = reverse("buildings:join", args=[building.community.pk])
    response = client.post(url, {"building": "99999999", "room": "101", "name": "x"})
    assert response.status_code == 200
    assert Resident.objects.count() == 0


def test_html_in_text_fields_is_rendered_escaped(client, building):
    HouseholdFactory(building=building, room="302")
    leader = AccountResidentFactory(household__building=building, role="leader").user
    script = "<script>alert(1)</script>"
    register(client, name=script)
    client.post(
        reverse("buildings:join", args=[building.community.pk]),
        {"building": building.pk, "room": "302", "name": script},
    )
    client.force_login(leader)
    page = client.get(
        reverse("buildings:join-requests", args=[building.pk])
    ).content.decode()
    assert script not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    client.post(
        reverse("buildings:announcement-create", args=[building.pk]),
        {"title": script, "body": script},
    )
    announcement = building.announcements.get()
    detail = client.get(announcement.get_absolute_url()).content.decode()
    assert script not in detail
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in detail


def test_leader_unlocks_a_locked_out_resident(client, building, settings):
    from axes.models import AccessAttempt

    resident = AccountResidentFactory(household__building=building)
    leader = AccountResidentFactory(household__building=building, role="leader").user
    AccessAttempt.objects.create(
        username=resident.user.phone,
        ip_address="10.0.0.1",
        user_agent="x",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
    )
    client.force_login(leader)
    page = client.get(
        reverse("buildings:join-requests", args=[building.pk])
    ).content.decode()
    assert resident.user.phone in page
    client.post(
        reverse("buildings:unlock", args=[building.pk]), {"phone": resident.user.phone}
    )
    assert not AccessAttempt.objects.filter(username=resident.user.phone).exists()


def test_leader_cannot_unlock_a_phone_of_another_building(client, building, settings):
    from axes.models import AccessAttempt

    stranger = AccountResidentFactory()
    leader = AccountResidentFactory(household__building=building, role="leader").user
    AccessAttempt.objects.create(
        username=stranger.user.phone,
        ip_address="10.0.0.1",
        user_agent="x",
        failures_since_start=9,
    )
    client.force_login(leader)
    client.post(
        reverse("buildings:unlock", args=[building.pk]), {"phone": stranger.user.phone}
    )
    assert AccessAttempt.objects.filter(username=stranger.user.phone).exists()


@pytest.mark.parametrize("role", ["resident", "team", "outsider"])
def test_only_leaders_and_staff_add_rooms(roles, login, role):
    response = login(roles.get(role)).post(
        reverse("buildings:households", args=[roles.building.pk]), {"rooms": "901-903"}
    )
    assert response.status_code in (403, 404)
    assert not roles.building.households.filter(room="901").exists()


def test_leader_adds_rooms_by_range(roles, login):
    client = login(roles.leader)
    url = reverse("buildings:households", args=[roles.building.pk])
    client.post(url, {"rooms": "901-903, 1001室、1002"})
    client.post(url, {"rooms": "903 904"})
    rooms = set(roles.building.households.values_list("room", flat=True))
    assert {"901", "902", "903", "904", "1001", "1002"} <= rooms


@pytest.mark.parametrize("spec", ["106-101", "1-100000", "x" * 30, "   ", "a-b"])
def test_bad_room_ranges_change_nothing(roles, login, spec):
    before = roles.building.households.count()
    response = login(roles.leader).post(
        reverse("buildings:households", args=[roles.building.pk]), {"rooms": spec}
    )
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert roles.building.households.count() == before
