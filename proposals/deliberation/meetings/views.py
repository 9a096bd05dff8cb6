"""Council meeting pages: list, call, detail, minutes, sign-in, tasks, the notice and the sheet."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from buildings.models import ChangeNote, Resident
from buildings.permissions import ORGANISE, PARTICIPATE, VIEW, get_access_or_404
from buildings.rooms import in_room_order, natural
from buildings.services import wechat_text
from core.qr import qr_svg
from proposals.deliberation.meetings import permissions as perms
from proposals.deliberation.meetings import services
from proposals.deliberation.meetings.forms import (
    AttendanceForm,
    MeetingForm,
    MinutesForm,
    TaskForm,
)
from proposals.deliberation.meetings.models import Meeting, MeetingTask
from proposals.deliberation.notices import when_text
from proposals.deliberation.views import T, full_url, show_error


def meeting_list(request, building_pk):
    access = get_access_or_404(request.user, building_pk, VIEW)
    meetings = access.building.meetings.annotate(
        attendee_count=Count("attendances", distinct=True),
        open_tasks=Count("tasks", filter=Q(tasks__done_at__isnull=True), distinct=True),
    )
    return render(
        request,
        T + "meeting_list.html",
        {"building": access.building, "access": access, "meetings": meetings[:100]},
    )


def meeting_create(request, building_pk):
    access = get_access_or_404(request.user, building_pk, ORGANISE)
    form = MeetingForm(request.POST or None, building=access.building)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.schedule_meeting(
                building=access.building,
                created_by=request.user,
                title=data["title"],
                starts_at=data["starts_at"],
                place=data["place"],
                agenda=list(data["agenda"]),
                agenda_notes=data["agenda_notes"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The meeting is called. Print the notice for the lobby.")
            )
            return redirect(meeting)
    return render(
        request, T + "meeting_form.html", {"building": access.building, "form": form}
    )


def _get_meeting(access, pk) -> Meeting:
    return get_object_or_404(
        access.building.meetings.select_related("created_by"), pk=pk
    )


def meeting_detail(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, VIEW)
    meeting = _get_meeting(access, pk)
    attendances = list(
        meeting.attendances.select_related("resident__household", "staff")
    )
    tasks = list(meeting.tasks.select_related("owner__household", "done_by"))
    can_manage = perms.can_manage_meeting(access, meeting)
    residents = []
    staff = []
    if can_manage:
        residents = (
            Resident.objects.approved()
            .in_building(access.building)
            .select_related("household")
            .order_by(*natural("household__room"), "name")
        )
        staff = services.staff_who_may_attend(access.building).exclude(
            pk__in=[a.staff_id for a in attendances if a.staff_id]
        )[:200]
    signed_ids = {a.resident_id for a in attendances}
    return render(
        request,
        T + "meeting_detail.html",
        {
            "building": access.building,
            "meeting": meeting,
            "agenda": meeting.agenda.all(),
            "attendances": attendances,
            "tasks": [(t, perms.can_complete_task(access, t)) for t in tasks],
            "can_manage": can_manage,
            "can_change": perms.can_change_meeting(access, meeting),
            "notes": list(ChangeNote.objects.about(meeting)),
            "unsigned": [r for r in residents if r.pk not in signed_ids],
            "unsigned_staff": staff,
            "task_form": TaskForm(residents=residents) if can_manage else None,
            "wechat_text": wechat_text(
                heading=_("Council meeting"),
                title=meeting.title,
                body=_("%(when)s, %(place)s")
                % {
                    "when": when_text(meeting.starts_at),
                    "place": meeting.place,
                },
                url=full_url(meeting),
            ),
        },
    )


def meeting_edit(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, ORGANISE)
    meeting = _get_meeting(access, pk)
    form = MinutesForm(request.POST or None, request.FILES or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The minutes have been saved."))
        return redirect(meeting)
    return render(
        request,
        T + "meeting_edit.html",
        {"building": access.building, "meeting": meeting, "form": form},
    )


@require_POST
def meeting_attendance(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, ORGANISE)
    meeting = _get_meeting(access, pk)
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose who signs in."))
        return redirect(meeting)
    try:
        if form.cleaned_data["staff"]:
            attendee = get_object_or_404(
                services.staff_who_may_attend(access.building),
                pk=form.cleaned_data["staff"],
            )
            services.record_staff_attendance(
                meeting=meeting, staff=attendee, recorded_by=request.user
            )
        else:
            attendee = get_object_or_404(
                Resident.objects.approved()
                .in_building(access.building)
                .select_related("household"),
                pk=form.cleaned_data["resident"],
            )
            services.record_attendance(
                meeting=meeting, resident=attendee, recorded_by=request.user
            )
    except ValidationError as error:
        show_error(request, error)
    else:
        messages.success(request, _("%(name)s signed in.") % {"name": attendee.name})
    return redirect(meeting)


@require_POST
def meeting_task_create(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, ORGANISE)
    meeting = _get_meeting(access, pk)
    residents = (
        Resident.objects.approved()
        .in_building(access.building)
        .select_related("household")
    )
    form = TaskForm(request.POST, residents=residents)
    if not form.is_valid():
        messages.error(
            request, " ".join(e for errors in form.errors.values() for e in errors)
        )
        return redirect(meeting)
    owner = residents.get(pk=form.cleaned_data["owner"])
    try:
        services.add_meeting_task(
            meeting=meeting,
            title=form.cleaned_data["title"],
            owner=owner,
            due_on=form.cleaned_data["due_on"],
        )
    except ValidationError as error:
        show_error(request, error)
    else:
        messages.success(
            request, _("The task has been given to %(name)s.") % {"name": owner.name}
        )
    return redirect(meeting)


def meeting_task_done(request, building_pk, pk, task_pk):
    """Marking a follow-up task done, in two steps that need no JavaScript: the button on
    the meeting page opens this page (GET), which names the task and asks; its own
    button (POST with confirm) marks it done. A POST without confirm only asks."""
    access = get_access_or_404(request.user, building_pk, PARTICIPATE)
    meeting = _get_meeting(access, pk)
    task = get_object_or_404(
        MeetingTask.objects.filter(meeting=meeting).select_related("owner"), pk=task_pk
    )
    if not perms.can_complete_task(access, task):
        if task.is_done:
            messages.error(request, _("This task is already done."))
            return redirect(meeting)
        raise PermissionDenied(
            _(
                "Only the building leader, the team or the person it was given to can do this."
            )
        )
    if request.method != "POST" or request.POST.get("confirm") != "yes":
        return render(
            request,
            T + "meeting_task_done.html",
            {"building": access.building, "meeting": meeting, "task": task},
        )
    try:
        services.complete_meeting_task(task=task, done_by=request.user)
    except ValidationError as error:
        show_error(request, error)
    else:
        messages.success(request, _("Marked done. Thank you!"))
    return redirect(meeting)


def meeting_notice(request, building_pk, pk):
    """Printable A4 notice for the lobby."""
    access = get_access_or_404(request.user, building_pk, VIEW)
    meeting = _get_meeting(access, pk)
    return render(
        request,
        T + "meeting_notice.html",
        {
            "building": access.building,
            "meeting": meeting,
            "agenda": meeting.agenda.all(),
            "qr": qr_svg(full_url(meeting), scale=4),
        },
    )


STAFF_LINES = 4  # blank lines for branch staff on the printed sign-in sheet


def meeting_signin_sheet(request, building_pk, pk):
    """Printable A4 sign-in sheet: one line per household in natural room order, with a
    signature line, and blank lines for branch staff who come."""
    access = get_access_or_404(request.user, building_pk, ORGANISE)
    meeting = _get_meeting(access, pk)
    return render(
        request,
        T + "meeting_signin.html",
        {
            "building": access.building,
            "meeting": meeting,
            "households": in_room_order(access.building.households.all()),
            "staff_lines": range(STAFF_LINES),
        },
    )
