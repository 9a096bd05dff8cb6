"""Log-in, registration and a forgotten password by a code sent by text message; the
one-time code a leader gives; changing one's password; one phone spelling everywhere."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buildings.models import PhoneCode, ProxyAct, User
from core.sms import console
from tests.factories import AccountResidentFactory, ResidentFactory, UserFactory
from tests.module_data import roles_built_once

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()

PASSWORD = "pass-word-123"
LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def _outbox():
    console.outbox.clear()
    yield
    console.outbox.clear()


def last_code(phone):
    messages = [m for m in console.outbox if m.phone == phone]
    return messages[-1].params["code"]


def ask(client, phone, url=LOGIN, **extra):
    return client.post(url, {"phone": phone, "code": "", "action": "send", **extra})


def test_log_in_with_a_code_by_text_message():
    user = UserFactory(phone="13800000003")
    client = Client()
    response = ask(client, "138 0000 0003")
    assert response.status_code == 302
    assert [m.kind for m in console.outbox] == ["login_code"]
    code = last_code("13800000003")
    assert re.fullmatch(r"[0-9]{6}", code)
    assert code in console.outbox[0].text
    row = PhoneCode.objects.get()
    assert code not in row.code_hash  # only a hash is kept
    response = client.post(LOGIN, {"phone": "+86 138-0000-0003", "code": code})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_code_works_once():
    UserFactory(phone="13800000003")
    client = Client()
    ask(client, "13800000003")
    code = last_code("13800000003")
    assert client.post(LOGIN, {"phone": "13800000003", "code": code}).status_code == 302
    other = Client()
    response = other.post(LOGIN, {"phone": "13800000003", "code": code})
    assert response.status_code == 200
    assert "验证码不对或已过期" in response.content.decode()
    assert "_auth_user_id" not in other.session


def test_a_code_runs_out_after_five_minutes():
    UserFactory(phone="13800000003")
    client = Client()
    ask(client, "13800000003")
    code = last_code("13800000003")
    with time_machine.travel(timezone.now() + timedelta(minutes=5, seconds=1)):
        response = client.post(LOGIN, {"phone": "13800000003", "code": code})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_five_wrong_guesses_make_the_code_void():
    UserFactory(phone="13800000003")
    client = Client()
    ask(client, "13800000003")
    code = last_code("13800000003")
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(5):
        client.post(LOGIN, {"phone": "13800000003", "code": wrong})
    response = client.post(LOGIN, {"phone": "13800000003", "code": code})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_unregistered_number_gets_the_same_answer_and_no_message():
    UserFactory(phone="13800000003")
    pages = []
    for phone in ["13800000003", "13900000009"]:
        client = Client()
        response = ask(client, phone)
        assert response.status_code == 302
        page = client.get(response["Location"]).content.decode()
        page = re.sub(r'value="[A-Za-z0-9]{64}"', "", page)  # the CSRF token
        pages.append(page.replace(phone, "the number"))  # filled in for them
    assert pages[0] == pages[1]
    assert "6位验证码正通过短信发送给您" in pages[0]
    assert [m.phone for m in console.outbox] == ["13800000003"]


def test_limits_per_phone_gap_and_day(settings):
    UserFactory(phone="13800000003")
    client = Client()
    assert ask(client, "13800000003").status_code == 302
    response = ask(client, "13800000003")
    assert response.status_code == 200
    assert "请等一分钟" in response.content.decode()
    start = timezone.now()
    for n in range(1, settings.LOUZU_CODES_PER_PHONE_PER_DAY):
        with time_machine.travel(start + timedelta(minutes=2 * n)):
            assert ask(Client(), "13800000003").status_code == 302
    with time_machine.travel(start + timedelta(minutes=30)):
        response = ask(Client(), "13800000003")
    assert "今天的验证码已用完" in response.content.decode()
    assert len(console.outbox) == settings.LOUZU_CODES_PER_PHONE_PER_DAY
    with time_machine.travel(start + timedelta(days=1, minutes=1)):
        assert ask(Client(), "13800000003").status_code == 302


def test_limit_per_address(settings):
    settings.LOUZU_CODES_PER_ADDRESS_PER_HOUR = 3
    for n in range(3):
        assert ask(Client(REMOTE_ADDR="10.9.9.9"), f"1380000001{n}").status_code == 302
    response = ask(Client(REMOTE_ADDR="10.9.9.9"), "13800000019")
    assert "这个网络请求的验证码太多" in response.content.decode()
    # a neighbour on another address is not affected
    assert ask(Client(REMOTE_ADDR="10.9.9.8"), "13800000019").status_code == 302


def test_limit_per_day_for_the_whole_site(settings):
    settings.LOUZU_CODES_PER_DAY = 2
    ask(Client(REMOTE_ADDR="10.0.0.1"), "13800000011")
    ask(Client(REMOTE_ADDR="10.0.0.2"), "13800000012")
    response = ask(Client(REMOTE_ADDR="10.0.0.3"), "13800000013")
    assert "今天不能再发送验证码" in response.content.decode()
    assert PhoneCode.objects.count() == 2


@pytest.mark.parametrize("phone", ["", "12345", "1380000000３3", "abc", "1" * 500])
def test_bad_phone_is_refused_under_the_field(phone):
    response = ask(Client(), phone)
    assert response.status_code == 200
    assert "form-control is-invalid" in response.content.decode()
    assert PhoneCode.objects.count() == 0


@pytest.mark.parametrize(
    "code", ["12345", "abcdef", "1234567", "１２３４５６７", "x" * 500]
)
def test_bad_code_is_refused(code):
    UserFactory(phone="13800000003")
    response = Client().post(LOGIN, {"phone": "13800000003", "code": code})
    assert response.status_code == 200
    assert "form-control is-invalid" in response.content.decode()


def test_full_width_code_is_read():
    UserFactory(phone="13800000003")
    client = Client()
    ask(client, "13800000003")
    code = last_code("13800000003")
    wide = "".join(chr(ord(c) + 0xFEE0) for c in code)
    response = client.post(LOGIN, {"phone": "１３８０００００００３", "code": wide})
    assert response.status_code == 302


def test_inactive_user_cannot_log_in_by_code():
    UserFactory(phone="13800000003", is_active=False)
    client = Client()
    ask(client, "13800000003")
    assert console.outbox == []


def test_password_log_in_still_works_and_takes_long_spellings():
    user = UserFactory(phone="13800000003")
    client = Client()
    page = client.get(reverse("login-password")).content.decode()
    assert 'maxlength="20"' in page
    response = client.post(
        reverse("login-password"), {"username": "138 0000 0003", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_pages_in_english_and_without_script():
    english = Client(headers={"accept-language": "en"})
    for url in [LOGIN, reverse("login-password"), reverse("password-forgot")]:
        page = english.get(url).content.decode()
        assert "<script" not in page.split("<main", 1)[-1].split("</main>")[0]
        assert "Send me a code" in page or "Log in with your password" in page
    page = Client().get(LOGIN).content.decode()
    assert "发送验证码" in page


def test_login_page_query_budget(django_assert_max_num_queries):
    UserFactory(phone="13800000003")
    client = Client()
    with django_assert_max_num_queries(3):
        client.get(LOGIN)
    # 14 on PostgreSQL: its lock timeout and advisory lock are two statements more.
    with django_assert_max_num_queries(14):
        ask(client, "13800000003")


# A forgotten password


def test_forgotten_password_reset_by_code():
    user = UserFactory(phone="13800000003")
    client = Client()
    url = reverse("password-forgot")
    assert ask(client, "13800000003", url=url).status_code == 302
    assert console.outbox[-1].kind == "reset_code"
    code = last_code("13800000003")
    response = client.post(
        url,
        {
            "phone": "13800000003",
            "code": code,
            "new_password1": "20260101",
            "new_password2": "20260101",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("20260101")  # digits only are allowed


def test_reset_refuses_a_short_password_under_its_field_and_keeps_the_code():
    user = UserFactory(phone="13800000003")
    client = Client()
    url = reverse("password-forgot")
    ask(client, "13800000003", url=url)
    code = last_code("13800000003")
    data = {"phone": "13800000003", "code": code}
    response = client.post(
        url, {**data, "new_password1": "123", "new_password2": "123"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "密码太短" in page
    assert 'id="error_1_id_new_password1"' in page
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    response = client.post(
        url, {**data, "new_password1": "lobby-2026", "new_password2": "lobby-2026"}
    )
    assert response.status_code == 302  # the code was not spent by the refused try


def test_reset_with_a_wrong_code_changes_nothing():
    user = UserFactory(phone="13800000003")
    response = Client().post(
        reverse("password-forgot"),
        {
            "phone": "13800000003",
            "code": "123456",
            "new_password1": "lobby-2026",
            "new_password2": "lobby-2026",
        },
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


# Changing one's password


def test_change_my_password():
    user = UserFactory(phone="13800000003")
    client = Client()
    client.force_login(user)
    assert client.get(reverse("password-change")).status_code == 200
    response = client.post(
        reverse("password-change"),
        {
            "old_password": PASSWORD,
            "new_password1": "19550312",
            "new_password2": "19550312",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("19550312")
    assert client.get(reverse("buildings:me")).status_code == 200  # still logged in


def test_change_password_needs_the_old_one():
    user = UserFactory(phone="13800000003")
    client = Client()
    client.force_login(user)
    response = client.post(
        reverse("password-change"),
        {
            "old_password": "wrong",
            "new_password1": "19550312",
            "new_password2": "19550312",
        },
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_change_password_page_needs_a_log_in():
    response = Client().get(reverse("password-change"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


# The one-time code a leader gives


def assisted_url(building, resident):
    return reverse("buildings:assisted-reset", args=[building.pk, resident.pk])


@pytest.mark.parametrize(
    "role,status",
    [
        ("visitor", 302),
        ("outsider", 404),
        ("pending", 404),
        ("resident", 403),
        ("team", 403),
        ("leader", 200),
        ("staff", 200),
    ],
)
def test_who_may_give_a_one_time_code(roles, login, role, status):
    elder = AccountResidentFactory(household__building=roles.building)
    client = login(roles.get(role))
    response = client.post(assisted_url(roles.building, elder))
    assert response.status_code == status
    assert PhoneCode.objects.filter(purpose="assisted").count() == (status == 200)


def test_another_buildings_leader_may_not(roles, login):
    elder = AccountResidentFactory(household__building=roles.building)
    other_leader = AccountResidentFactory(role="leader").user
    response = login(other_leader).post(assisted_url(roles.building, elder))
    assert response.status_code == 404
    assert not PhoneCode.objects.exists()


def test_one_time_code_sets_a_new_password_and_is_recorded(roles, login):
    elder = AccountResidentFactory(household__building=roles.building)
    response = login(roles.leader).post(assisted_url(roles.building, elder))
    assert "no-store" in response["Cache-Control"]
    code = re.search(r">\s*([0-9]{6})\s*<", response.content.decode()).group(1)
    assert console.outbox == []  # handed over in person, not sent
    row = PhoneCode.objects.get()
    assert row.issued_by == roles.leader
    assert ProxyAct.objects.get(resident=elder).actor == roles.leader
    # shown once: the resident page does not show it again
    page = login(roles.leader).get(
        reverse("buildings:resident", args=[roles.building.pk, elder.pk])
    )
    assert code not in page.content.decode()
    resident_client = Client()
    response = resident_client.post(
        reverse("password-forgot"),
        {
            "phone": elder.user.phone,
            "code": code,
            "new_password1": "88886666",
            "new_password2": "88886666",
        },
    )
    assert response.status_code == 302
    elder.user.refresh_from_db()
    assert elder.user.check_password("88886666")


def test_one_time_code_is_post_only_and_not_for_proxy_residents(roles, login):
    elder = AccountResidentFactory(household__building=roles.building)
    client = login(roles.leader)
    assert client.get(assisted_url(roles.building, elder)).status_code == 405
    proxy = ResidentFactory(household__building=roles.building)
    assert client.post(assisted_url(roles.building, proxy)).status_code == 404
    assert not PhoneCode.objects.exists()


def test_a_new_one_time_code_voids_the_old_one(roles, login):
    elder = AccountResidentFactory(household__building=roles.building)
    client = login(roles.leader)
    first = re.search(
        r">\s*([0-9]{6})\s*<",
        client.post(assisted_url(roles.building, elder)).content.decode(),
    ).group(1)
    client.post(assisted_url(roles.building, elder))
    response = Client().post(
        reverse("password-forgot"),
        {
            "phone": elder.user.phone,
            "code": first,
            "new_password1": "88886666",
            "new_password2": "88886666",
        },
    )
    assert response.status_code == 200
    assert User.objects.get(pk=elder.user.pk).check_password(PASSWORD)


# One phone spelling everywhere

SPELLINGS = [
    "138 0000 0003",
    "138-0000-0003",
    "+86 13800000003",
    "１３８－００００－０００３",  # full-width digits and dashes
]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_spelling_logs_in_with_the_password(spelling):
    UserFactory(phone="13800000003")
    client = Client()
    response = client.post(
        reverse("login-password"), {"username": spelling, "password": PASSWORD}
    )
    assert response.status_code == 302


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_spelling_unlocks(building, login, spelling, settings):
    from axes.models import AccessAttempt

    resident = AccountResidentFactory(
        household__building=building, user__phone="13800000003"
    )
    leader = AccountResidentFactory(household__building=building, role="leader").user
    AccessAttempt.objects.create(
        username=resident.user.phone,
        ip_address="10.0.0.1",
        user_agent="x",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
    )
    login(leader).post(
        reverse("buildings:unlock", args=[building.pk]), {"phone": spelling}
    )
    assert not AccessAttempt.objects.filter(username="13800000003").exists()


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_proxy_contact_phone_is_kept_in_one_form(roles, login, spelling):
    from buildings.models import Household, Resident

    household = Household.objects.create(building=roles.building, room="1201")
    login(roles.leader).post(
        reverse("buildings:residents", args=[roles.building.pk]),
        {"room": "1201", "name": "孙阿婆", "contact_phone": spelling, "is_adult": "on"},
    )
    resident = Resident.objects.get(household=household, name="孙阿婆")
    assert resident.contact_phone == "13800000003"


def test_proxy_contact_landline_is_kept_as_typed(roles, login):
    from buildings.models import Household, Resident

    household = Household.objects.create(building=roles.building, room="1202")
    login(roles.leader).post(
        reverse("buildings:residents", args=[roles.building.pk]),
        {"room": "1202", "name": "钱阿公", "contact_phone": "021-5555 1234"},
    )
    assert Resident.objects.get(household=household).contact_phone == "021-5555 1234"


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_admin_takes_every_spelling(spelling):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    response = client.post(
        reverse("admin:buildings_user_add"),
        {
            "phone": spelling,
            "name": "新用户",
            "password1": "lobby-door-2026",
            "password2": "lobby-door-2026",
        },
    )
    assert response.status_code == 302
    assert User.objects.filter(phone="13800000003", name="新用户").exists()


def test_query_budgets_of_the_new_pages(roles, login, django_assert_max_num_queries):
    elder = AccountResidentFactory(household__building=roles.building)
    with django_assert_max_num_queries(3):
        Client().get(reverse("password-forgot"))
    client = login(roles.leader)
    with django_assert_max_num_queries(14):
        assert client.post(assisted_url(roles.building, elder)).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("password-change")).status_code == 200


def test_a_user_gone_between_code_and_log_in_gets_the_message_not_an_error():
    user = UserFactory(phone="13800000003")
    client = Client()
    ask(client, "13800000003")
    code = last_code("13800000003")
    User.objects.filter(pk=user.pk).update(phone="13800000004")
    response = client.post(LOGIN, {"phone": "13800000003", "code": code})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


# Registration proves the phone


def register_data(code, phone="13900000001"):
    return {
        "phone": phone,
        "code": code,
        "name": "张阿姨",
        "password1": "19550312",
        "password2": "19550312",
    }


def test_registration_needs_the_code_sent_to_the_phone():
    client = Client()
    url = reverse("register")
    response = client.post(url, {"phone": "139 0000 0001", "action": "send"})
    assert response.status_code == 200
    assert console.outbox[-1].kind == "register_code"
    code = last_code("13900000001")
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    response = client.post(url, register_data(wrong))
    assert "验证码不对或已过期" in response.content.decode()
    assert not User.objects.filter(phone="13900000001").exists()
    response = client.post(url, register_data(""))
    assert "请输入短信里的6位验证码" in response.content.decode()
    response = client.post(url, register_data(code))
    assert response.status_code == 302
    assert User.objects.get(phone="13900000001").check_password("19550312")


def test_registration_code_is_not_sent_to_a_deactivated_number():
    UserFactory(phone="13900000001", is_active=False)
    response = Client().post(
        reverse("register"), {"phone": "13900000001", "action": "send"}
    )
    assert response.status_code == 200
    assert console.outbox == []


def test_prune_codes_keeps_two_days():
    from django.core.management import call_command

    UserFactory(phone="13800000003")
    with time_machine.travel(timezone.now() - timedelta(days=3)):
        ask(Client(), "13800000003")
    ask(Client(), "13800000003")
    call_command("prune_codes")
    assert PhoneCode.objects.count() == 1
