"""Thin views for 议事: proposals, polls, meetings, consultations and the convention."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from buildings import pagecache
from buildings.compiled import Compiled
from buildings.exports import csv_writer
from buildings.models import Resident
from buildings.pagecache import cached_page
from buildings.permissions import MANAGE, ORGANISE, PARTICIPATE, VIEW, get_access_or_404
from buildings.qr import qr_svg
from buildings.services import find_household, wechat_text
from proposals import deliberation_permissions as perms
from proposals import deliberation_services as services
from proposals.deliberation_forms import (
    AnswerForm,
    AttendanceForm,
    ClosePollForm,
    CommentForm,
    ConsultationForm,
    EnterBallotForm,
    MeetingForm,
    MinutesForm,
    PaperSignatureForm,
    PollForm,
    ProposalForm,
    QuestionForm,
    StatusForm,
    TaskForm,
    VisitForm,
    VoteForm,
)
from proposals.deliberation_models import (
    Answer,
    Ballot,
    Consultation,
    Convention,
    Meeting,
    MeetingTask,
    Origin,
    Poll,
    PollOption,
    Proposal,
)

T = "proposals/deliberation/"


def _error(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _full_url(obj) -> str:
    return settings.SITE_URL + obj.get_absolute_url()


def _get_proposal(access, pk) -> Proposal:
    return get_object_or_404(
        access.building.proposals.visible_to(access).select_related("author"), pk=pk
    )


# The poll page's personal part runs these on every request (see buildings.compiled).
_poll_in_building = Compiled(
    lambda building_id, pk: Poll.objects.filter(
        building_id=building_id, pk=pk
    ).select_related("proposal")
)
_ballot_in_slots = Compiled(
    lambda poll_id, household_slot, resident_slot: Ballot.objects.filter(
        poll_id=poll_id, slot__in=[household_slot, resident_slot]
    ).select_related("resident", "household", "option")
)
_poll_options = Compiled(lambda poll_id: PollOption.objects.filter(poll_id=poll_id))


def _get_poll(access, pk) -> Poll:
    poll = _poll_in_building.first(building_id=access.building.pk, pk=pk)
    if poll is None:
        raise Http404
    poll.building = access.building
    return poll


# --- The hub -------------------------------------------------------------------------


def decisions(request, building_pk):
    """议事: what is being discussed, voted, met about and asked right now."""
    access = get_access_or_404(request.user, building_pk, VIEW)
    building = access.building
    proposals = building.proposals.visible_to(access)
    open_polls = (
        Poll.objects.in_building(building)
        .open_now()
        .with_turnout()
        .select_related("proposal")
        .order_by("closes_at")
    )
    needs_vote = (
        Poll.objects.needing_vote_of(access.resident).order_by("closes_at")
        if access.resident
        else []
    )
    convention = (
        Convention.objects.filter(building=building)
        .with_signature_counts()
        .order_by("-version")
        .first()
    )
    return render(
        request,
        T + "decisions.html",
        {
            "building": building,
            "access": access,
            "in_discussion": proposals.in_discussion().with_comment_counts()[:10],
            "drafts": proposals.filter(status=Proposal.Status.DRAFT)[:10]
            if access.can_organise
            else [],
            "recent_decisions": proposals.filter(
                status__in=[Proposal.Status.ADOPTED, Proposal.Status.REJECTED]
            ).order_by("-decided_at")[:5],
            "open_polls": open_polls,
            "needs_vote": needs_vote,
            "upcoming_meetings": building.meetings.upcoming()[:5],
            "past_meetings": building.meetings.past()[:3],
            "open_consultations": building.consultations.open_now().with_response_counts(),
            "past_consultations": building.consultations.filter(
                closes_at__lte=timezone.now()
            )[:3],
            "convention": convention,
            "household_count": building.households.count(),
        },
    )


# --- Proposals -------------------------------------------------------------------------


def proposal_list(request, building_pk):
    access = get_access_or_404(request.user, building_pk, VIEW)
    proposals = (
        access.building.proposals.visible_to(access)
        .with_comment_counts()
        .order_by("-updated_at")
    )
    status = request.GET.get("status", "")
    if status in Proposal.Status.values:
        proposals = proposals.filter(status=status)
    return render(
        request,
        T + "proposal_list.html",
        {
            "building": access.building,
            "access": access,
            "proposals": proposals[:200],
            "statuses": Proposal.Status.choices,
            "current_status": status,
        },
    )


def proposal_create(request, building_pk):
    access = get_access_or_404(request.user, building_pk, ORGANISE)
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.create_proposal(
                building=access.building,
                author=request.user,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                budget=form.cleaned_data["budget"],
                origin_issue_ids=form.cleaned_data["origin_issues"],
            )
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(
                request, _("The draft is saved. Open it for discussion when ready.")
            )
            return redirect(proposal)
    return render(
        request,
        T + "proposal_form.html",
        {"building": access.building, "form": form, "proposal": None},
    )


def proposal_edit(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, ORGANISE)
    proposal = _get_proposal(access, pk)
    if not perms.can_edit_proposal(access, proposal):
        messages.error(request, _("This proposal can no longer be edited."))
        return redirect(proposal)
    form = ProposalForm(request.POST or None, instance=proposal)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_proposal(
                proposal=proposal,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                budget=form.cleaned_data["budget"],
                origin_issue_ids=form.cleaned_data["origin_issues"],
            )
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(request, _("The proposal has been saved."))
            return redirect(proposal)
    return render(
        request,
        T + "proposal_form.html",
        {"building": access.building, "form": form, "proposal": proposal},
    )


def proposal_detail(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, VIEW)
    proposal = _get_proposal(access, pk)
    changes = perms.allowed_status_changes(access, proposal)
    return render(
        request,
        T + "proposal_detail.html",
        {
            "building": access.building,
            "proposal": proposal,
            "comments": proposal.comments.all(),
            "polls": proposal.polls.with_turnout().order_by("-opens_at"),
            "meetings": proposal.meetings.order_by("-starts_at"),
            "comment_form": CommentForm(),
            "can_comment": perms.can_comment(access, proposal),
            "can_edit": perms.can_edit_proposal(access, proposal),
            "can_open_poll": perms.can_open_poll(access, proposal),
            "status_changes": [(s, Proposal.Status(s).label) for s in changes],
            "decide_changes": [
                s
                for s in changes
                if s in (Proposal.Status.ADOPTED, Proposal.Status.REJECTED)
            ],
            "wechat_text": wechat_text(
                heading=_("Proposal"),
                title=proposal.title,
                body=proposal.body,
                url=_full_url(proposal),
            ),
        },
    )


@require_POST
def proposal_comment(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, PARTICIPATE)
    proposal = _get_proposal(access, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["text"]))
        return redirect(proposal)
    if not perms.can_comment(access, proposal):
        messages.error(request, _("The discussion of this proposal is closed."))
        return redirect(proposal)
    name = access.resident.name if access.resident else request.user.name
    try:
        services.add_comment(
            proposal=proposal,
            author=request.user,
            name=name,
            text=form.cleaned_data["text"],
        )
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("Your comment has been posted."))
    return redirect(proposal)


@require_POST
def proposal_status(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, ORGANISE)
    proposal = _get_proposal(access, pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose a valid status."))
        return redirect(proposal)
    to_status = form.cleaned_data["status"]
    if to_status in perms.LEADER_DECISIONS and not access.can_manage:
        raise PermissionDenied(_("Only the building leader can make this decision."))
    if to_status not in perms.allowed_status_changes(access, proposal):
        messages.error(request, _("You cannot make this change to the proposal."))
        return redirect(proposal)
    try:
        services.change_proposal_status(
            proposal=proposal,
            to_status=to_status,
            actor=request.user,
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(
            request,
            _("The proposal is now: %(status)s")
            % {"status": Proposal.Status(to_status).label},
        )
    return redirect(proposal)


# --- Polls ----------------------------------------------------------------------------


def poll_create(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, MANAGE)
    proposal = _get_proposal(access, pk)
    if not perms.can_open_poll(access, proposal):
        messages.error(
            request, _("Only a proposal in discussion can be put to the vote.")
        )
        return redirect(proposal)
    now = timezone.localtime().replace(second=0, microsecond=0)
    form = PollForm(
        request.POST or None,
        initial={
            "question": proposal.title,
            "opens_at": now,
            "closes_at": now + timedelta(days=7),
            "is_secret": False,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            poll = services.open_poll(
                proposal=proposal,
                created_by=request.user,
                question=data["question"],
                option_labels=form.option_labels(),
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                electorate=data["electorate"],
                quorum_percent=data["quorum_percent"],
                is_secret=data["is_secret"],
                results_live=data["results_live"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The poll is open. Share it in the WeChat group.")
            )
            return redirect(poll)
    return render(
        request,
        T + "poll_form.html",
        {"building": access.building, "proposal": proposal, "form": form},
    )


def _my_ballot(poll, resident):
    if resident is None:
        return None
    values = Poll.voter_values(resident)
    return _ballot_in_slots.first(
        poll_id=poll.pk,
        household_slot=values["household_slot"],
        resident_slot=values["resident_slot"],
    )


def _poll_personal(request, building_pk, pk, *, access=None, poll=None, options=None):
    """The poll page's own part for this person: their household's ballot and the form.
    (On a cache hit the poll and its options come with the kept page.)"""
    if access is None:
        access = get_access_or_404(request.user, building_pk, VIEW)
    if poll is None:
        poll = _get_poll(access, pk)
    if options is None:
        options = _poll_options.all(poll_id=poll.pk)
    my_ballot = _my_ballot(poll, access.resident)
    can_vote = perms.can_vote(access, poll)
    can_change = (
        can_vote
        and my_ballot is not None
        and not poll.is_secret
        and my_ballot.origin == Origin.ONLINE
        and my_ballot.resident_id == access.resident.pk
    )
    return {
        "building": access.building,
        "poll": poll,
        "options": options,
        "my_ballot": my_ballot,
        "can_vote": can_vote and (my_ballot is None or can_change),
        "can_change": can_change,
    }


@cached_page(personal=_poll_personal)
def poll_detail(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, VIEW)
    poll = _get_poll(access, pk)
    mine = _poll_personal(request, building_pk, pk, access=access, poll=poll)
    pagecache.share(request, poll=poll, options=mine["options"])
    results = services.poll_results(poll)
    show_choices = perms.can_see_voter_choices(access, poll)
    ballots = poll.ballots.select_related("household", "resident", "entered_by")
    if show_choices:
        ballots = ballots.select_related("option")
    else:
        ballots = ballots.defer("option")
    not_voted = []
    if access.can_manage and poll.is_open and not poll.per_resident:
        not_voted = access.building.households.exclude(
            pk__in=poll.ballots.values("household_id")
        ).values_list("room", flat=True)
    return render(
        request,
        T + "poll_detail.html",
        {
            **mine,
            "proposal": poll.proposal,
            "results": results,
            "results_visible": poll.results_visible,
            "can_enter": perms.can_enter_ballots(access, poll),
            "can_close": perms.can_close_poll(access, poll),
            "show_choices": show_choices,
            "ballots": ballots,
            "not_voted": not_voted,
            "is_leader": access.can_manage,
            "wechat_text": wechat_text(
                heading=_("Vote"),
                title=poll.question,
                body=_("Open until %(time)s. One ballot per household.")
                % {"time": services._when(poll.closes_at)}
                if not poll.per_resident
                else _("Open until %(time)s. Every adult votes.")
                % {"time": services._when(poll.closes_at)},
                url=_full_url(poll),
            ),
        },
    )


@require_POST
def poll_vote(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, PARTICIPATE)
    poll = _get_poll(access, pk)
    if access.resident is None:
        messages.error(request, _("Only residents of this building vote."))
        return redirect(poll)
    form = VoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose one of this poll's options."))
        return redirect(poll)
    try:
        ballot = services.cast_ballot(
            poll=poll, option_id=form.cleaned_data["option"], resident=access.resident
        )
    except ValidationError as error:
        _error(request, error)
    else:
        if poll.is_secret:
            messages.success(
                request, _("Your secret ballot has been counted. Thank you!")
            )
        elif ballot.changed_at:
            messages.success(request, _("Your vote has been changed."))
        else:
            messages.success(request, _("Your vote has been recorded. Thank you!"))
    return redirect(poll)


def poll_enter(request, building_pk, pk):
    """A leader enters a paper, door-to-door or proxy ballot."""
    access = get_access_or_404(request.user, building_pk, MANAGE)
    poll = _get_poll(access, pk)
    if not poll.is_open:
        messages.error(request, _("This poll is not open: no ballots can be entered."))
        return redirect(poll)
    form = EnterBallotForm(request.POST or None, request.FILES or None, poll=poll)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            household = find_household(building=access.building, room=data["room"])
            resident = None
            if data["voter"].strip():
                resident = (
                    household.residents.approved()
                    .filter(name=data["voter"].strip())
                    .first()
                )
                if resident is None:
                    raise ValidationError(
                        _("Nobody called %(name)s is registered in room %(room)s.")
                        % {"name": data["voter"].strip(), "room": household.room}
                    )
            services.cast_ballot(
                poll=poll,
                option_id=data["option"],
                household=household,
                resident=resident,
                origin=data["origin"],
                entered_by=request.user,
                slip_photo=data.get("slip_photo"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The ballot of room %(room)s has been entered.")
                % {"room": household.room},
            )
            return redirect("proposals:poll-enter", access.building.pk, poll.pk)
    return render(
        request,
        T + "poll_enter.html",
        {"building": access.building, "poll": poll, "form": form},
    )


@require_POST
def poll_close(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, MANAGE)
    poll = _get_poll(access, pk)
    form = ClosePollForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["reason"][0])
        return redirect(poll)
    try:
        poll = services.close_poll(
            poll=poll, closed_by=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(
            request,
            _("The poll is closed: %(outcome)s")
            % {"outcome": poll.get_outcome_display()},
        )
    return redirect(poll)


# --- Council meetings -------------------------------------------------------------------


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
    attendances = meeting.attendances.select_related("resident__household")
    tasks = list(meeting.tasks.select_related("owner__household", "done_by"))
    can_manage = perms.can_manage_meeting(access, meeting)
    residents = []
    if can_manage:
        residents = (
            Resident.objects.approved()
            .in_building(access.building)
            .select_related("household")
            .order_by("household__room", "name")
        )
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
            "unsigned": [r for r in residents if r.pk not in signed_ids],
            "task_form": TaskForm(residents=residents) if can_manage else None,
            "wechat_text": wechat_text(
                heading=_("Council meeting"),
                title=meeting.title,
                body=_("%(when)s, %(place)s")
                % {
                    "when": services._when(meeting.starts_at),
                    "place": meeting.place,
                },
                url=_full_url(meeting),
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
        messages.error(request, _("Please choose a resident."))
        return redirect(meeting)
    resident = get_object_or_404(
        Resident.objects.approved()
        .in_building(access.building)
        .select_related("household"),
        pk=form.cleaned_data["resident"],
    )
    try:
        services.record_attendance(
            meeting=meeting, resident=resident, recorded_by=request.user
        )
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("%(name)s signed in.") % {"name": resident.name})
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
        _error(request, error)
    else:
        messages.success(
            request, _("The task has been given to %(name)s.") % {"name": owner.name}
        )
    return redirect(meeting)


@require_POST
def meeting_task_done(request, building_pk, pk, task_pk):
    access = get_access_or_404(request.user, building_pk, PARTICIPATE)
    meeting = _get_meeting(access, pk)
    task = get_object_or_404(MeetingTask.objects.filter(meeting=meeting), pk=task_pk)
    if not perms.can_complete_task(access, task):
        if task.is_done:
            messages.error(request, _("This task is already done."))
            return redirect(meeting)
        raise PermissionDenied
    try:
        services.complete_meeting_task(task=task, done_by=request.user)
    except ValidationError as error:
        _error(request, error)
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
            "qr": qr_svg(_full_url(meeting), scale=4),
        },
    )


def meeting_signin_sheet(request, building_pk, pk):
    """Printable A4 sign-in sheet: one line per household, with a signature line."""
    access = get_access_or_404(request.user, building_pk, ORGANISE)
    meeting = _get_meeting(access, pk)
    return render(
        request,
        T + "meeting_signin.html",
        {
            "building": access.building,
            "meeting": meeting,
            "households": access.building.households.all(),
        },
    )


# --- Consultations ------------------------------------------------------------------------


def consultation_list(request, building_pk):
    access = get_access_or_404(request.user, building_pk, VIEW)
    return render(
        request,
        T + "consultation_list.html",
        {
            "building": access.building,
            "access": access,
            "consultations": access.building.consultations.with_response_counts()[:100],
        },
    )


def consultation_create(request, building_pk):
    access = get_access_or_404(request.user, building_pk, ORGANISE)
    form = ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consultation = services.create_consultation(
                building=access.building, created_by=request.user, **data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Now add the questions."))
            return redirect(
                "proposals:consultation-questions", access.building.pk, consultation.pk
            )
    return render(
        request,
        T + "consultation_form.html",
        {"building": access.building, "form": form},
    )


def _get_consultation(access, pk) -> Consultation:
    return get_object_or_404(access.building.consultations, pk=pk)


def _questions(consultation):
    return list(consultation.questions.prefetch_related("choices"))


def consultation_questions(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, ORGANISE)
    consultation = _get_consultation(access, pk)
    form = QuestionForm(request.POST or None, initial={"required": True})
    if request.method == "POST" and form.is_valid():
        try:
            services.add_question(
                consultation=consultation,
                text=form.cleaned_data["text"],
                kind=form.cleaned_data["kind"],
                required=form.cleaned_data["required"],
                choices=form.choice_labels(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The question has been added."))
            return redirect("proposals:consultation-questions", access.building.pk, pk)
    return render(
        request,
        T + "consultation_questions.html",
        {
            "building": access.building,
            "consultation": consultation,
            "questions": _questions(consultation),
            "form": form,
        },
    )


def consultation_results(consultation, questions):
    """Per question: counts per choice (for the bar charts) and the free-text answers."""
    counts = dict(
        Answer.objects.filter(question__consultation=consultation, choice__isnull=False)
        .values_list("choice")
        .annotate(n=Count("pk"))
        .order_by()
    )
    texts = {}
    for question_id, text in (
        Answer.objects.filter(question__consultation=consultation, choice__isnull=True)
        .exclude(text="")
        .values_list("question_id", "text")[:2000]
    ):
        texts.setdefault(question_id, []).append(text)
    results = []
    for question in questions:
        choices = list(question.choices.all())
        total = sum(counts.get(c.pk, 0) for c in choices)
        rows = [
            {
                "label": c.label,
                "count": counts.get(c.pk, 0),
                "percent": services.percent(counts.get(c.pk, 0), total),
            }
            for c in choices
        ]
        results.append(
            {"question": question, "rows": rows, "texts": texts.get(question.pk, [])}
        )
    return results


def _consultation_context(access, consultation, questions, form=None):
    answered = (
        access.resident is not None
        and consultation.responses.filter(slot=f"r:{access.resident.pk}").exists()
    )
    # A household visited door to door has given its one answer.
    visited = (
        access.resident is not None
        and not answered
        and consultation.responses.filter(
            slot=f"h:{access.resident.household_id}"
        ).exists()
    )
    can_answer = (
        perms.can_answer_consultation(access)
        and consultation.is_open
        and not answered
        and not visited
    )
    if form is None and can_answer:
        form = AnswerForm(consultation=consultation, questions=questions)
    show_results = answered or visited or consultation.has_closed or access.can_organise
    return {
        "building": access.building,
        "consultation": consultation,
        "questions": questions,
        "form": form if can_answer else None,
        "answered": answered,
        "visited": visited,
        "can_organise": access.can_organise,
        "results": consultation_results(consultation, questions)
        if show_results
        else None,
        "response_count": consultation.responses.count(),
        "visit_count": consultation.responses.filter(
            origin=Origin.DOOR_TO_DOOR
        ).count(),
        "wechat_text": wechat_text(
            heading=_("Consultation"),
            title=consultation.title,
            body=consultation.intro,
            url=_full_url(consultation),
        ),
    }


def consultation_detail(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, VIEW)
    consultation = _get_consultation(access, pk)
    context = _consultation_context(access, consultation, _questions(consultation))
    return render(request, T + "consultation_detail.html", context)


@require_POST
def consultation_answer(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, PARTICIPATE)
    consultation = _get_consultation(access, pk)
    if access.resident is None:
        messages.error(request, _("Only residents of this building answer."))
        return redirect(consultation)
    questions = _questions(consultation)
    form = AnswerForm(request.POST, consultation=consultation, questions=questions)
    if form.is_valid():
        try:
            services.submit_response(
                consultation=consultation,
                answers=form.answers(),
                resident=access.resident,
            )
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(request, _("Thank you! Your answers have been recorded."))
        return redirect(consultation)
    messages.error(request, _("Please check your answers below."))
    context = _consultation_context(access, consultation, questions, form=form)
    return render(request, T + "consultation_detail.html", context, status=400)


def consultation_visit(request, building_pk, pk):
    """A volunteer enters the answers of a household visited door to door (入户调研)."""
    access = get_access_or_404(request.user, building_pk, ORGANISE)
    consultation = _get_consultation(access, pk)
    questions = _questions(consultation)
    visit_form = VisitForm(request.POST or None)
    form = AnswerForm(
        request.POST or None, consultation=consultation, questions=questions
    )
    if request.method == "POST" and visit_form.is_valid() and form.is_valid():
        try:
            household = find_household(
                building=access.building, room=visit_form.cleaned_data["room"]
            )
            services.submit_response(
                consultation=consultation,
                answers=form.answers(),
                household=household,
                entered_by=request.user,
            )
        except ValidationError as error:
            visit_form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The answers of room %(room)s have been entered.")
                % {"room": household.room},
            )
            return redirect("proposals:consultation-visit", access.building.pk, pk)
    return render(
        request,
        T + "consultation_visit.html",
        {
            "building": access.building,
            "consultation": consultation,
            "visit_form": visit_form,
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


@never_cache  # households' answers: no browser or proxy may keep them
def consultation_export(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, ORGANISE)
    consultation = _get_consultation(access, pk)
    questions = _questions(consultation)
    responses = consultation.responses.select_related(
        "household", "entered_by"
    ).prefetch_related(
        Prefetch("answers", queryset=Answer.objects.select_related("choice"))
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="consultation-{consultation.pk}.csv"'
    )
    response.write("\ufeff")  # so spreadsheet programs read the Chinese correctly
    writer = csv_writer(response)  # every text cell neutralised
    writer.writerow(
        [_("No."), _("Room"), _("How"), _("Entered by"), _("Answered at")]
        + [q.text for q in questions]
    )
    for number, item in enumerate(responses, start=1):
        by_question = {}
        for answer in item.answers.all():
            value = answer.choice.label if answer.choice_id else answer.text
            by_question.setdefault(answer.question_id, []).append(value)
        writer.writerow(
            [
                number,
                item.household.room,
                item.get_origin_display(),
                item.entered_by.name if item.entered_by else "",
                timezone.localtime(item.created_at).strftime("%Y-%m-%d %H:%M"),
            ]
            + ["; ".join(by_question.get(q.pk, [])) for q in questions]
        )
    return response


# --- Convention -------------------------------------------------------------------------


def convention_current(request, building_pk):
    access = get_access_or_404(request.user, building_pk, VIEW)
    convention = Convention.objects.current_for(access.building)
    if convention is not None:
        return redirect(convention)
    return render(
        request,
        T + "convention_none.html",
        {"building": access.building, "can_organise": access.can_organise},
    )


def _get_convention(access, pk) -> Convention:
    return get_object_or_404(
        Convention.objects.filter(building=access.building).select_related(
            "adopted_by_poll", "proposal"
        ),
        pk=pk,
    )


def _convention_context(access, convention):
    signatures = convention.signatures.select_related("household")
    household_count = access.building.households.count()
    poll = convention.adopted_by_poll
    current = Convention.objects.current_for(access.building)
    return {
        "building": access.building,
        "convention": convention,
        "is_current": current is not None and current.pk == convention.pk,
        "signatures": signatures,
        "signature_count": len(signatures),
        "household_count": household_count,
        "signature_percent": services.percent(len(signatures), household_count),
        "poll_results": services.poll_results(poll) if poll else None,
    }


def convention_detail(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, VIEW)
    convention = _get_convention(access, pk)
    context = _convention_context(access, convention)
    signed = (
        access.resident is not None
        and convention.signatures.filter(household_id=access.resident.household_id)
        .select_related("household")
        .first()
    )
    context.update(
        {
            "my_signature": signed or None,
            "can_sign": perms.can_sign_convention(access)
            and not signed
            and context["is_current"],
            "can_record_paper": access.can_manage and context["is_current"],
            "paper_form": PaperSignatureForm(),
            "wechat_text": wechat_text(
                heading=_("Building convention"),
                title=str(convention),
                body=convention.text,
                url=_full_url(convention),
            ),
        }
    )
    return render(request, T + "convention_detail.html", context)


@require_POST
def convention_sign(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, PARTICIPATE)
    convention = _get_convention(access, pk)
    if not perms.can_sign_convention(access):
        messages.error(request, _("Only adult residents of this building sign."))
        return redirect(convention)
    try:
        services.sign_convention(convention=convention, resident=access.resident)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("Your household has signed. Thank you!"))
    return redirect(convention)


@require_POST
def convention_paper(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, MANAGE)
    convention = _get_convention(access, pk)
    form = PaperSignatureForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the room and the name on the paper."))
        return redirect(convention)
    try:
        household = find_household(
            building=access.building, room=form.cleaned_data["room"]
        )
        name = form.cleaned_data["signer_name"].strip()
        resident = household.residents.approved().filter(name=name).first()
        services.sign_convention(
            convention=convention,
            household=household,
            resident=resident,
            signer_name=name,
            entered_by=request.user,
        )
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(
            request,
            _("The paper signature of room %(room)s is recorded.")
            % {"room": household.room},
        )
    return redirect(convention)


def poll_poster(request, building_pk, pk):
    """Printable A4 result poster for the lobby, once the result is announced."""
    access = get_access_or_404(request.user, building_pk, VIEW)
    poll = _get_poll(access, pk)
    if poll.closed_at is None:
        messages.error(
            request, _("The result poster can be printed once the vote is closed.")
        )
        return redirect(poll)
    return render(
        request,
        T + "poll_poster.html",
        {
            "building": access.building,
            "poll": poll,
            "results": services.poll_results(poll),
            "qr": qr_svg(_full_url(poll), scale=4),
            "live_url": _full_url(poll),
        },
    )


def convention_poster(request, building_pk, pk):
    """Printable A4 lobby poster: text, date, turnout, signatures and a QR code."""
    access = get_access_or_404(request.user, building_pk, VIEW)
    convention = _get_convention(access, pk)
    context = _convention_context(access, convention)
    context["qr"] = qr_svg(_full_url(convention), scale=4)
    context["live_url"] = _full_url(convention)
    return render(request, T + "convention_poster.html", context)
