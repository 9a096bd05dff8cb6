"""Volunteer tasks, shifts and hours: the tasks page, creating a task with its shifts,
one task's page, claiming, releasing, swapping and marking shifts done, and the
printable statement of a resident's hours."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities import hours, permissions, services
from activities.forms import SwapForm, TaskForm
from activities.models import Shift
from activities.views.common import RESIDENTS_ONLY, _error
from buildings.models import Resident
from buildings.permissions import MANAGE, ORGANISE, PARTICIPATE, VIEW, get_access_or_404


def tasks(request, building_pk):
    access = get_access_or_404(request.user, building_pk, VIEW)
    upcoming = (
        Shift.objects.upcoming().select_related("volunteer").order_by("starts_at", "pk")
    )
    task_list = access.building.tasks.prefetch_related(
        Prefetch("shifts", queryset=upcoming, to_attr="upcoming_shifts")
    )
    my_shifts = []
    if access.resident is not None:
        my_shifts = (
            Shift.objects.upcoming()
            .filter(volunteer=access.resident, task__building=access.building)
            .select_related("task")
        )
    year = timezone.localdate().year
    return render(
        request,
        "activities/tasks.html",
        {
            "building": access.building,
            "tasks": task_list,
            "my_shifts": my_shifts,
            "year": year,
            "building_hours": hours.building_total(access.building, year),
            "can_create": permissions.can_manage_tasks(access),
        },
    )


def task_create(request, building_pk):
    access = get_access_or_404(request.user, building_pk, ORGANISE)
    form = TaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task = services.create_task(
                building=access.building,
                created_by=request.user,
                kind=data["kind"],
                title=data["title"],
                description=data["description"],
                place=data["place"],
                first_starts_at=data["first_starts_at"],
                duration_minutes=data["duration_minutes"],
                repeat_weeks=data["repeat_weeks"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages[0])
        else:
            messages.success(
                request,
                _(
                    "The task and its shifts are ready. Neighbours can raise a hand now."
                ),
            )
            return redirect(task)
    return render(
        request,
        "activities/task_form.html",
        {"building": access.building, "form": form},
    )


def task_detail(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, VIEW)
    task = permissions.get_task_or_404(access, pk)
    now = timezone.now()
    shifts = list(
        task.shifts.filter(ends_at__gte=now - timedelta(days=14))
        .select_related("volunteer__household")
        .order_by("starts_at", "pk")[:60]
    )
    my_future = []
    if access.resident is not None:
        my_future = [
            s
            for s in shifts
            if s.volunteer_id == access.resident.pk
            and s.starts_at > now
            and not s.is_done
        ]
    for shift in shifts:
        shift.is_mine = (
            access.resident is not None and shift.volunteer_id == access.resident.pk
        )
        shift.is_future = shift.starts_at > now
    swap_form = (
        SwapForm(shifts=task.shifts.filter(pk__in=[s.pk for s in my_future]))
        if my_future
        else None
    )
    return render(
        request,
        "activities/task_detail.html",
        {
            "building": access.building,
            "task": task,
            "shifts": shifts,
            "swap_form": swap_form,
            "can_take": permissions.can_take_shifts(access),
            "can_manage": permissions.can_manage_tasks(access),
        },
    )


def _shift_action(request, building_pk, shift_pk, level=PARTICIPATE):
    access = get_access_or_404(request.user, building_pk, level)
    return access, permissions.get_shift_or_404(access, shift_pk)


def _run(request, action, success_message):
    try:
        action()
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, success_message)


@require_POST
def shift_claim(request, building_pk, shift_pk):
    access, shift = _shift_action(request, building_pk, shift_pk)
    if not permissions.can_take_shifts(access):
        raise PermissionDenied(RESIDENTS_ONLY)
    _run(
        request,
        lambda: services.claim_shift(shift=shift, resident=access.resident),
        _("Thank you! The shift is yours."),
    )
    return redirect(shift.task)


@require_POST
def shift_release(request, building_pk, shift_pk):
    access, shift = _shift_action(request, building_pk, shift_pk)
    if not permissions.holds_shift(access, shift):
        raise PermissionDenied(_("Only the volunteer on this shift can do this."))
    _run(
        request,
        lambda: services.release_shift(shift=shift, resident=access.resident),
        _("The shift is free again."),
    )
    return redirect(shift.task)


@require_POST
def shift_offer_swap(request, building_pk, shift_pk):
    access, shift = _shift_action(request, building_pk, shift_pk)
    if not permissions.holds_shift(access, shift):
        raise PermissionDenied(_("Only the volunteer on this shift can do this."))
    wanted = request.POST.get("wanted") != "0"
    _run(
        request,
        lambda: services.offer_swap(
            shift=shift, resident=access.resident, wanted=wanted
        ),
        _("Neighbours can now swap with you.")
        if wanted
        else _("The swap offer is withdrawn."),
    )
    return redirect(shift.task)


@require_POST
def shift_swap(request, building_pk, shift_pk):
    access, shift = _shift_action(request, building_pk, shift_pk)
    if not permissions.can_take_shifts(access):
        raise PermissionDenied(RESIDENTS_ONLY)
    form = SwapForm(
        request.POST,
        shifts=Shift.objects.filter(task=shift.task, volunteer=access.resident),
    )
    if not form.is_valid():
        messages.error(request, _("Please choose one of your own shifts of this task."))
        return redirect(shift.task)
    _run(
        request,
        lambda: services.swap_shifts(
            wanted=shift, mine=form.cleaned_data["mine"], resident=access.resident
        ),
        _("Swapped. Your neighbour has been told."),
    )
    return redirect(shift.task)


@require_POST
def shift_done(request, building_pk, shift_pk):
    access, shift = _shift_action(request, building_pk, shift_pk, ORGANISE)
    done = request.POST.get("done") != "0"
    _run(
        request,
        lambda: services.mark_shift_done(shift=shift, actor=request.user, done=done),
        _("Marked as done.") if done else _("No longer marked as done."),
    )
    return redirect(shift.task)


def my_hours(request, building_pk):
    """A resident's own volunteer hours for one year; printable as a statement."""
    access = get_access_or_404(request.user, building_pk, VIEW)
    if access.resident is None:
        raise PermissionDenied(RESIDENTS_ONLY)
    return _hours_page(request, access, access.resident)


def resident_hours(request, building_pk, resident_pk):
    """A leader prints the statement for a resident (for example one without a phone)."""
    access = get_access_or_404(request.user, building_pk, MANAGE)
    resident = get_object_or_404(
        Resident.objects.approved()
        .in_building(access.building)
        .select_related("household"),
        pk=resident_pk,
    )
    return _hours_page(request, access, resident)


def _hours_page(request, access, resident):
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        year = this_year
    if not 2000 <= year <= this_year + 1:
        year = this_year
    entries = hours.entries_for(resident, year)
    return render(
        request,
        "activities/hours.html",
        {
            "building": access.building,
            "resident": resident,
            "year": year,
            "years": range(this_year, this_year - 5, -1),
            "entries": entries,
            "total": hours.total(entries),
            "printed_at": timezone.now(),
        },
    )
