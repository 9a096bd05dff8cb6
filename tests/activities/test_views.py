"""Pages and actions over HTTP: bad input, messages, query budgets, .ics, WeChat text."""

from datetime import UTC, timedelta
from io import BytesIO

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from activities.ics import activity_ics, fold
from activities.models import Registration
from buildings.models import Notification, Resident, User
from tests.activities.factories import (
    ActivityFactory,
    RegistrationFactory,
    ShiftFactory,
    TaskFactory,
)
from tests.factories import AccountResidentFactory, BuildingFactory, UserFactory
from tests.module_data import roles_built_once

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.mark.parametrize(
    ("adults", "children"),
    [
        ("0", "0"),
        ("-1", "0"),
        ("10000", "0"),
        ("abc", "0"),
        ("", ""),
        ("1.5", "0"),
        ("6", "6"),
    ],
)
def test_bad_party_sizes_over_http(roles, login, building, adults, children):
    activity = ActivityFactory(building=building)
    response = login(roles.resident).post(
        reverse("activities:sign-up", args=[building.pk, activity.pk]),
        {"adults": adults, "children": children},
    )
    assert response.status_code == 400
    assert response.context["form"].errors
    assert not activity.registrations.exists()


def test_sign_up_for_another_buildings_activity_is_404(roles, login, building):
    other = ActivityFactory(building=BuildingFactory(community=building.community))
    client = login(roles.resident)
    for url in (
        reverse("activities:sign-up", args=[building.pk, other.pk]),
        reverse("activities:sign-up", args=[other.building_id, other.pk]),
    ):
        assert client.post(url, {"adults": 1, "children": 0}).status_code == 404
    assert not other.registrations.exists()


def test_forged_registration_ids_are_404(roles, login, building):
    activity = ActivityFactory(building=building)
    elsewhere = RegistrationFactory()  # another building's activity
    client = login(roles.leader)
    for pk in (elsewhere.pk, 999_999):
        assert (
            client.post(
                reverse("activities:cancel", args=[building.pk, activity.pk, pk])
            ).status_code
            == 404
        )
        url = reverse("activities:attendance", args=[building.pk, activity.pk, pk])
        assert client.post(url, {"attendance": "checked_in"}).status_code == 404
    # the right registration id under the wrong activity
    url = reverse("activities:cancel", args=[building.pk, activity.pk, elsewhere.pk])
    assert client.post(url).status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.status == "confirmed"


def test_forged_attendance_value(roles, login, building):
    registration = RegistrationFactory(activity=ActivityFactory(building=building))
    url = reverse(
        "activities:attendance",
        args=[building.pk, registration.activity_id, registration.pk],
    )
    with time_machine.travel(registration.activity.starts_at):
        response = login(roles.leader).post(
            url, {"attendance": "teleported"}, follow=True
        )
    assert response.status_code == 200
    assert messages_of(response)
    registration.refresh_from_db()
    assert registration.attendance == "unknown"


def test_claiming_a_taken_shift(roles, login, building):
    holder = AccountResidentFactory(household__building=building, name="张阿姨")
    shift = ShiftFactory(task=TaskFactory(building=building), volunteer=holder)
    response = login(roles.resident).post(
        reverse("activities:shift-claim", args=[building.pk, shift.pk]), follow=True
    )
    assert response.status_code == 200
    assert any("张阿姨" in m for m in messages_of(response))
    shift.refresh_from_db()
    assert shift.volunteer == holder


def test_forged_shift_ids_are_404(roles, login, building):
    foreign = ShiftFactory()  # another building's task
    client = login(roles.resident)
    for name in ("shift-claim", "shift-release", "shift-offer-swap", "shift-swap"):
        assert (
            client.post(
                reverse(f"activities:{name}", args=[building.pk, foreign.pk])
            ).status_code
            == 404
        )
    foreign.refresh_from_db()
    assert foreign.volunteer is None


def test_full_then_waitlisted_then_promoted_over_http(roles, login, building):
    activity = ActivityFactory(building=building, capacity=1)
    url = reverse("activities:sign-up", args=[building.pk, activity.pk])
    first = login(roles.resident).post(url, {"adults": 1, "children": 0}, follow=True)
    assert "confirmed" in first.content.decode() or "已确认" in first.content.decode()
    second = login(roles.team).post(url, {"adults": 1, "children": 0}, follow=True)
    assert second.context["position"] == 1
    mine = Registration.objects.get(resident__user=roles.resident)
    login(roles.resident).post(
        reverse("activities:cancel", args=[building.pk, activity.pk, mine.pk])
    )
    assert Registration.objects.get(resident__user=roles.team).status == "confirmed"
    assert Notification.objects.filter(
        recipient=roles.team, kind="waitlist_promoted"
    ).exists()


def test_capacity_below_confirmed_shows_form_error(roles, login, building):
    activity = ActivityFactory(building=building, capacity=3)
    for _i in range(3):
        RegistrationFactory(activity=activity)
    data = {
        "kind": activity.kind,
        "title": activity.title,
        "starts_at": timezone.localtime(activity.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": timezone.localtime(activity.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "signup_deadline": timezone.localtime(activity.signup_deadline).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "place": activity.place,
        "capacity": 2,
        "reason": "场地变小了",
    }
    response = login(roles.leader).post(
        reverse("activities:edit", args=[building.pk, activity.pk]), data
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    activity.refresh_from_db()
    assert activity.capacity == 3


def test_activity_form_rejects_bad_dates_and_capacity(roles, login, building):
    start = timezone.localtime() + timedelta(days=3)
    data = {
        "kind": "other",
        "title": "x",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "signup_deadline": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "place": "门厅",
        "capacity": 0,
    }
    response = login(roles.leader).post(
        reverse("activities:create", args=[building.pk]), data
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"ends_at", "signup_deadline", "capacity"} <= set(errors)
    assert not building.activities.exists()


def test_activity_page_query_budget_with_500_registrations(
    roles, login, building, django_assert_max_num_queries
):
    activity = ActivityFactory(building=building, capacity=300)
    household = AccountResidentFactory(household__building=building).household
    # 500 people with accounts, inserted in three statements rather than one by one.
    users = User.objects.bulk_create(UserFactory.build_batch(500))
    people = Resident.objects.bulk_create(
        AccountResidentFactory.build(user=user, household=household) for user in users
    )
    rows = [
        Registration(
            activity=activity,
            resident=person,
            household=household,
            status="confirmed" if i < 300 else "waitlisted",
        )
        for i, person in enumerate(people)
    ]
    Registration.objects.bulk_create(rows)
    RegistrationFactory(
        activity=activity,
        resident=Resident.objects.get(user=roles.resident),
        status="waitlisted",
    )
    client = login(roles.leader)
    for name in ("detail", "roster", "sheet"):
        with django_assert_max_num_queries(15):
            response = client.get(
                reverse(f"activities:{name}", args=[building.pk, activity.pk])
            )
        assert response.status_code == 200
    client = login(roles.resident)
    with django_assert_max_num_queries(15):
        response = client.get(
            reverse("activities:detail", args=[building.pk, activity.pk])
        )
    assert response.context["position"] == 201


def test_activity_list_query_budget(
    roles, login, building, django_assert_max_num_queries
):
    for i in range(30):
        activity = ActivityFactory(
            building=building if i % 3 else None, community=building.community
        )
        RegistrationFactory(activity=activity, resident__household__building=building)
    for i in range(10):
        ActivityFactory(
            building=building, starts_at=timezone.now() - timedelta(days=i + 1)
        )
    client = login(roles.resident)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("activities:index", args=[building.pk]))
    assert len(response.context["upcoming"]) == 30
    assert len(response.context["past"]) == 10


def test_index_shows_own_and_community_wide_upcoming_first(roles, login, building):
    later = ActivityFactory(
        building=building, title="后面的", starts_at=timezone.now() + timedelta(days=9)
    )
    sooner = ActivityFactory(
        building=None,
        community=building.community,
        title="全居民区",
        starts_at=timezone.now() + timedelta(days=2),
    )
    ActivityFactory(
        building=BuildingFactory(community=building.community), title="别的楼"
    )
    past = ActivityFactory(
        building=building, title="上周的", starts_at=timezone.now() - timedelta(days=7)
    )
    response = login(roles.resident).get(
        reverse("activities:index", args=[building.pk])
    )
    assert [a.pk for a in response.context["upcoming"]] == [sooner.pk, later.pk]
    assert [a.pk for a in response.context["past"]] == [past.pk]
    assert "别的楼" not in response.content.decode()


def test_ics_download(roles, login, building):
    activity = ActivityFactory(
        building=building, title="亲子手工课, 第一期; 欢迎", place="活动室"
    )
    response = login(roles.resident).get(
        reverse("activities:ics", args=[building.pk, activity.pk])
    )
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode("utf-8")
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "SUMMARY:亲子手工课\\, 第一期\\; 欢迎" in body.replace("\r\n ", "")
    start = activity.starts_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    assert f"DTSTART:{start}" in body
    for line in body.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75


def test_fold_never_splits_a_character():
    line = "DESCRIPTION:" + "一尺花园" * 40
    folded = fold(line)
    assert folded.replace("\r\n ", "") == line
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))


def test_ics_escapes_newlines(building):
    activity = ActivityFactory(building=building, text="第一行\n第二行")
    assert "第一行\\n第二行" in activity_ics(activity, "http://x/").replace("\r\n ", "")


def test_wechat_text_has_full_link(roles, login, building, settings):
    settings.SITE_URL = "https://louzu.example.cn"
    activity = ActivityFactory(building=building, title="楼道清洁日")
    response = login(roles.resident).get(
        reverse("activities:detail", args=[building.pk, activity.pk])
    )
    text = response.context["wechat_text"]
    assert "楼道清洁日" in text
    assert (
        f"https://louzu.example.cn/buildings/{building.pk}/activities/{activity.pk}/"
        in text
    )


def test_sheet_has_qr_and_names(roles, login, building):
    activity = ActivityFactory(building=building)
    registration = RegistrationFactory(activity=activity)
    response = login(roles.leader).get(
        reverse("activities:sheet", args=[building.pk, activity.pk])
    )
    html = response.content.decode()
    assert registration.resident.name in html
    assert '<div class="qr"' in html and "<svg" in html


def test_english_pages(roles, login, building):
    activity = ActivityFactory(building=building)
    client = login(roles.resident)
    client.cookies["django_language"] = "en"
    response = client.get(
        reverse("activities:detail", args=[building.pk, activity.pk]),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Sign up" in response.content.decode()


def png_upload(name="photo.png"):
    buffer = BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_recap_photo_goes_through_the_upload_pipeline(roles, login, building):
    activity = ActivityFactory(building=building)
    url = reverse("activities:recap", args=[building.pk, activity.pk])
    client = login(roles.leader)
    with time_machine.travel(activity.ends_at):
        response = client.post(
            url, {"recap": "很开心", "photo": png_upload(), "caption": "合影"}
        )
        assert response.status_code == 302
        bad = SimpleUploadedFile(
            "x.png", b"<html>not an image</html>", content_type="image/png"
        )
        response = client.post(url, {"recap": "改了", "photo": bad})
        assert response.status_code == 200 and response.context["form"].errors["photo"]
    activity.refresh_from_db()
    assert activity.recap == "很开心"
    photo = activity.photos.get()
    assert photo.image.name.startswith(
        "activities/recap/"
    ) and photo.image.name.endswith(".jpg")
    assert photo.caption == "合影"


def test_recap_before_the_activity_is_refused(roles, login, building):
    activity = ActivityFactory(building=building)
    response = login(roles.leader).post(
        reverse("activities:recap", args=[building.pk, activity.pk]),
        {"recap": "太早了"},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    activity.refresh_from_db()
    assert activity.recap == ""


def _edit_data(activity, **changes):
    data = {
        "kind": activity.kind,
        "title": activity.title,
        "starts_at": timezone.localtime(activity.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": timezone.localtime(activity.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "signup_deadline": timezone.localtime(activity.signup_deadline).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "place": activity.place,
        "capacity": activity.capacity,
    }
    data.update(changes)
    return data


def test_an_edit_needs_a_reason_and_keeps_it_on_the_page(roles, login, building):
    activity = ActivityFactory(building=building, place="活动室")
    url = reverse("activities:edit", args=[building.pk, activity.pk])
    client = login(roles.leader)
    refused = client.post(url, _edit_data(activity, place="小花园"))
    assert refused.status_code == 200
    assert "reason" in refused.context["form"].errors
    activity.refresh_from_db()
    assert activity.place == "活动室"

    done = client.post(url, _edit_data(activity, place="小花园", reason="活动室在装修"))
    assert done.status_code == 302
    activity.refresh_from_db()
    assert activity.place == "小花园"
    page = login(roles.resident).get(activity.url_in(building.pk)).content.decode()
    assert "活动室在装修" in page
