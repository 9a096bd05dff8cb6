"""Tasks, shifts (claim, swap, release, done) and the derived volunteer hours."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from activities import hours, services
from activities.models import Shift
from buildings.models import Notification
from tests.activities.factories import (
    ActivityFactory,
    RegistrationFactory,
    ShiftFactory,
    TaskFactory,
)
from tests.factories import AccountResidentFactory
from tests.module_data import roles_built_once

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


def neighbour(building, **kwargs):
    return AccountResidentFactory(household__building=building, **kwargs)


def test_create_task_makes_weekly_shifts(building):
    start = timezone.now() + timedelta(days=1)
    task = services.create_task(
        building=building,
        created_by=neighbour(building, role="team").user,
        kind="garden",
        title="浇水",
        first_starts_at=start,
        duration_minutes=45,
        repeat_weeks=3,
    )
    shifts = list(task.shifts.all())
    assert [s.starts_at for s in shifts] == [
        start,
        start + timedelta(weeks=1),
        start + timedelta(weeks=2),
    ]
    assert all(s.ends_at - s.starts_at == timedelta(minutes=45) for s in shifts)


@pytest.mark.parametrize("weeks", [0, -1, 53])
def test_create_task_bounds(building, weeks):
    with pytest.raises(ValidationError):
        services.create_task(
            building=building,
            created_by=neighbour(building).user,
            kind="garden",
            title="x",
            first_starts_at=timezone.now(),
            duration_minutes=30,
            repeat_weeks=weeks,
        )


def test_a_task_too_far_ahead_is_refused_and_adds_nothing(roles, login, building):
    response = login(roles.leader).post(
        reverse("activities:task-create", args=[building.pk]),
        {
            "kind": "garden",
            "title": "浇水",
            "first_starts_at": "9999-12-01T08:00",
            "duration_minutes": 30,
            "repeat_weeks": 8,
        },
    )
    assert response.status_code == 200
    assert "请核对年份" in response.content.decode()
    assert not building.tasks.exists()


def test_claim_release_and_taken(building):
    shift = ShiftFactory(task=TaskFactory(building=building))
    first, second = neighbour(building, name="张阿姨"), neighbour(building)
    services.claim_shift(shift=shift, resident=first)
    with pytest.raises(ValidationError, match="张阿姨"):
        services.claim_shift(shift=shift, resident=second)
    with pytest.raises(ValidationError):
        services.release_shift(shift=shift, resident=second)
    services.release_shift(shift=shift, resident=first)
    services.claim_shift(shift=shift, resident=second)
    shift.refresh_from_db()
    assert shift.volunteer == second


def test_past_shifts_cannot_be_claimed_or_released(building):
    shift = ShiftFactory(task=TaskFactory(building=building))
    holder = neighbour(building)
    services.claim_shift(shift=shift, resident=holder)
    with time_machine.travel(shift.starts_at + timedelta(minutes=1)):
        with pytest.raises(ValidationError):
            services.release_shift(shift=shift, resident=holder)
        with pytest.raises(ValidationError):
            services.claim_shift(
                shift=ShiftFactory(task=shift.task, starts_at=shift.starts_at),
                resident=holder,
            )


def test_swap(building):
    task = TaskFactory(building=building)
    a, b = neighbour(building), neighbour(building)
    saturday = ShiftFactory(task=task, volunteer=a)
    sunday = ShiftFactory(
        task=task, volunteer=b, starts_at=saturday.starts_at + timedelta(days=1)
    )
    with pytest.raises(ValidationError):  # not offered yet
        services.swap_shifts(wanted=saturday, mine=sunday, resident=b)
    services.offer_swap(shift=saturday, resident=a)
    with pytest.raises(ValidationError):  # not b's shift to give
        services.swap_shifts(wanted=saturday, mine=saturday, resident=b)
    services.swap_shifts(wanted=saturday, mine=sunday, resident=b)
    saturday.refresh_from_db()
    sunday.refresh_from_db()
    assert (saturday.volunteer, sunday.volunteer) == (b, a)
    assert not saturday.swap_wanted
    assert Notification.objects.filter(recipient=a.user, kind="shift_swapped").exists()


def test_swap_over_http(roles, login, building):
    task = TaskFactory(building=building)
    other = neighbour(building)
    offered = ShiftFactory(task=task, volunteer=other, swap_wanted=True)
    mine = ShiftFactory(task=task, starts_at=offered.starts_at + timedelta(days=7))
    client = login(roles.resident)
    client.post(reverse("activities:shift-claim", args=[building.pk, mine.pk]))
    page = client.get(reverse("activities:task", args=[building.pk, task.pk]))
    assert page.context["swap_form"] is not None
    client.post(
        reverse("activities:shift-swap", args=[building.pk, offered.pk]),
        {"mine": mine.pk},
    )
    offered.refresh_from_db()
    assert offered.volunteer.user == roles.resident
    # a forged "mine" (someone else's shift) changes nothing
    third = ShiftFactory(
        task=task,
        volunteer=neighbour(building),
        starts_at=offered.starts_at + timedelta(days=14),
    )
    offered2 = ShiftFactory(
        task=task,
        volunteer=other,
        swap_wanted=True,
        starts_at=offered.starts_at + timedelta(days=21),
    )
    response = client.post(
        reverse("activities:shift-swap", args=[building.pk, offered2.pk]),
        {"mine": third.pk},
        follow=True,
    )
    assert response.status_code == 200
    offered2.refresh_from_db()
    assert offered2.volunteer == other


def test_done_needs_a_volunteer_and_a_start(building):
    shift = ShiftFactory(task=TaskFactory(building=building))
    organiser = neighbour(building, role="team").user
    with pytest.raises(ValidationError):
        services.mark_shift_done(shift=shift, actor=organiser)
    services.claim_shift(shift=shift, resident=neighbour(building))
    with pytest.raises(ValidationError):
        services.mark_shift_done(shift=shift, actor=organiser)
    with time_machine.travel(shift.ends_at):
        services.mark_shift_done(shift=shift, actor=organiser)
    assert Shift.objects.get(pk=shift.pk).is_done


def test_hours_from_check_ins_and_done_shifts(building):
    volunteer = neighbour(building)
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime(2025, 4, 12, 9, 0), tz)
    workday = ActivityFactory(
        building=building,
        counts_as_volunteering=True,
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        signup_deadline=start,
    )
    lecture = ActivityFactory(
        building=building,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        signup_deadline=start,
    )
    RegistrationFactory(activity=workday, resident=volunteer, attendance="checked_in")
    RegistrationFactory(
        activity=lecture, resident=volunteer, attendance="checked_in"
    )  # not volunteering
    RegistrationFactory(activity=workday, attendance="no_show")
    task = TaskFactory(building=building)
    ShiftFactory(
        task=task,
        volunteer=volunteer,
        starts_at=start + timedelta(days=7),
        ends_at=start + timedelta(days=7, minutes=90),
        done_at=start + timedelta(days=7),
    )
    ShiftFactory(
        task=task, volunteer=volunteer, starts_at=start + timedelta(days=14)
    )  # not done
    ShiftFactory(
        task=task,
        volunteer=volunteer,
        starts_at=start - timedelta(days=200),
        done_at=start,
    )  # 2024
    entries = hours.entries_for(volunteer, 2025)
    assert [(e.kind, e.hours) for e in entries] == [
        ("activity", Decimal("3.0")),
        ("shift", Decimal("1.5")),
    ]
    assert hours.total(entries) == Decimal("4.5")
    assert hours.building_total(building, 2025) == Decimal("4.5")
    assert hours.building_total(building) == Decimal("5.5")


def test_statement_total_agrees_with_the_building(login, building):
    # Three 20-minute shifts: each line says 0.3 h, and the statement's total is the 1.0 h
    # the building page and the dashboard count for them, not 0.9.
    volunteer = neighbour(building)
    task = TaskFactory(building=building)
    start = timezone.make_aware(datetime(2025, 6, 1, 9, 0))
    for day in range(3):
        ShiftFactory(
            task=task,
            volunteer=volunteer,
            starts_at=start + timedelta(days=day),
            ends_at=start + timedelta(days=day, minutes=20),
            done_at=start + timedelta(days=day),
        )
    entries = hours.entries_for(volunteer, start.year)
    assert [e.hours for e in entries] == [Decimal("0.3")] * 3
    assert hours.total(entries) == Decimal("1.0") == hours.building_total(building)
    response = login(volunteer.user).get(
        reverse("activities:hours", args=[building.pk]), {"year": start.year}
    )
    assert response.context["total"] == Decimal("1.0")
    assert "合计按实际时长相加" in response.content.decode()


def test_hours_statement_page(roles, login, building):
    response = login(roles.resident).get(
        reverse("activities:hours", args=[building.pk]), {"year": "not-a-year"}
    )
    assert response.status_code == 200
    assert response.context["year"] == timezone.localdate().year


def test_shift_reminders_are_sent_once(building):
    holder = neighbour(building)
    soon = ShiftFactory(
        task=TaskFactory(building=building),
        volunteer=holder,
        starts_at=timezone.now() + timedelta(hours=3),
    )
    ShiftFactory(
        task=soon.task, volunteer=holder, starts_at=timezone.now() + timedelta(days=3)
    )  # not yet
    ShiftFactory(
        task=soon.task, starts_at=timezone.now() + timedelta(hours=2)
    )  # nobody to remind
    assert services.send_shift_reminders() == 1
    assert services.send_shift_reminders() == 0
    reminder = Notification.objects.get(kind="shift_reminder")
    assert reminder.recipient == holder.user
    assert soon.task.title in reminder.text
