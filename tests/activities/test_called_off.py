"""An activity called off gives nobody hours nor a place among those who came: its
sign-ups stay confirmed (its page shows who had come forward), but it did not happen."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from activities import hours, services
from dashboard import metrics
from tests.activities.factories import ActivityFactory, RegistrationFactory
from tests.module_data import roles_built_once

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


@pytest.fixture
def called_off(roles):
    workday = ActivityFactory(
        building=roles.building,
        counts_as_volunteering=True,
        starts_at=timezone.now() + timedelta(days=2),
    )
    resident = roles.resident.memberships.get()
    registration = RegistrationFactory(activity=workday, resident=resident)
    services.cancel_activity(activity=workday, by=roles.leader, reason="暴雨预警")
    return workday, registration


def test_nobody_is_checked_in_at_an_activity_called_off(roles, called_off):
    workday, registration = called_off
    with time_machine.travel(workday.starts_at + timedelta(minutes=30)):
        with pytest.raises(ValidationError, match="暴雨预警"):
            services.set_attendance(
                registration=registration, attendance="checked_in", actor=roles.leader
            )
    registration.refresh_from_db()
    assert registration.attendance == "unknown"


def test_a_check_in_there_counts_nowhere(roles, client, called_off):
    """One recorded before the rule (or by hand) was two hours on the resident's
    statement, the building's tasks page and the dashboard, and 1 participant."""
    workday, registration = called_off
    registration.attendance = "checked_in"
    registration.save()
    year = timezone.localtime(workday.starts_at).year
    with time_machine.travel(workday.ends_at + timedelta(days=1)):
        client.force_login(roles.resident)
        statement = client.get(
            reverse("activities:hours", args=[roles.building.pk]), {"year": year}
        )
        tasks = client.get(
            reverse("activities:tasks", args=[roles.building.pk]), {"year": year}
        )
        row = next(
            r
            for r in metrics.community_rows(roles.building.community)
            if r.building == roles.building
        )
    assert statement.context["entries"] == []
    assert statement.context["total"] == Decimal("0.0")
    assert tasks.context["building_hours"] == Decimal("0.0")
    assert hours.building_total(roles.building) == Decimal("0.0")
    assert (row.volunteer_hours, row.participants, sum(row.trend)) == (
        Decimal("0.0"),
        0,
        0,
    )


def test_the_building_card_neither_counts_nor_names_it(roles, client, called_off):
    workday, _registration = called_off
    later = ActivityFactory(
        building=roles.building,
        title="楼道清扫日",
        starts_at=timezone.now() + timedelta(days=5),
    )
    client.force_login(roles.resident)
    page = client.get(reverse("buildings:detail", args=[roles.building.pk]))
    text = page.content.decode()
    assert "1 项即将举行" in text
    assert later.title in text and workday.title not in text


def test_a_check_in_on_the_morning_it_is_called_off_is_undone(roles, client):
    """Check-in opens on the day, a call-off is possible until the start: the roster
    said "1 of 1 sign-ups checked in" (and the badge "Checked in") while the resident's
    statement and the dashboard, rightly, counted nobody."""
    today = timezone.localtime(timezone.now()).replace(
        hour=8, minute=0, second=0, microsecond=0
    )
    with time_machine.travel(today):
        workday = ActivityFactory(
            building=roles.building,
            counts_as_volunteering=True,
            starts_at=today + timedelta(hours=2),
            signup_deadline=today - timedelta(days=1),
        )
        registration = RegistrationFactory(
            activity=workday, resident=roles.resident.memberships.get()
        )
        services.set_attendance(
            registration=registration, attendance="checked_in", actor=roles.leader
        )
        services.cancel_activity(activity=workday, by=roles.leader, reason="暴雨预警")
        client.force_login(roles.leader)
        roster = client.get(
            reverse("activities:roster", args=[roles.building.pk, workday.pk])
        )
    assert roster.context["checked_in_count"] == 0
    assert "1 个报名中已签到 0 个" in roster.content.decode()
    year = timezone.localtime(workday.starts_at).year
    with time_machine.travel(workday.ends_at + timedelta(days=1)):
        client.force_login(roles.resident)
        statement = client.get(
            reverse("activities:hours", args=[roles.building.pk]), {"year": year}
        )
    assert statement.context["total"] == Decimal("0.0")
    registration.refresh_from_db()
    assert registration.attendance == "unknown"


def test_its_calendar_file_says_cancelled_as_its_page_does(roles, client, called_off):
    """The .ics export said nothing of the call-off: a calendar kept the event on."""
    workday, _registration = called_off
    client.force_login(roles.resident)
    page = client.get(
        reverse("activities:detail", args=[roles.building.pk, workday.pk])
    )
    ics = client.get(reverse("activities:ics", args=[roles.building.pk, workday.pk]))
    assert "已取消" in page.content.decode()
    lines = ics.content.decode().replace("\r\n ", "").split("\r\n")
    assert "STATUS:CANCELLED" in lines


def test_calling_it_off_is_its_latest_change(roles):
    """A calendar that compares LAST-MODIFIED saw the call-off as no change at all."""
    with time_machine.travel(timezone.now() - timedelta(days=1)):
        workday = ActivityFactory(
            building=roles.building, starts_at=timezone.now() + timedelta(days=3)
        )
    made = workday.updated_at
    services.cancel_activity(activity=workday, by=roles.leader, reason="暴雨预警")
    workday.refresh_from_db()
    assert workday.updated_at > made + timedelta(hours=23)
