"""Poll pages: opening a poll, the poll with its count, voting, paper ballots, closing, the poster,
and a leader's change or cancellation before the first ballot (polls.changes)."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from buildings.models import ChangeNote
from buildings.notices import posting_notice
from buildings.permissions import MANAGE, PARTICIPATE, VIEW, get_access_or_404
from buildings.services import find_household, wechat_text
from buildings.views.changes import confirm_with_reason
from core.pagecache import cached_page
from core.qr import qr_svg
from proposals.deliberation.origin import Origin
from proposals.deliberation.polls import changes, services
from proposals.deliberation.polls import permissions as perms
from proposals.deliberation.polls.forms import (
    ClosePollForm,
    EnterBallotForm,
    PollEditForm,
    PollForm,
    VoteForm,
)
from proposals.deliberation.polls.models import Ballot, Poll
from proposals.deliberation.proposals.permissions import get_proposal_or_404
from proposals.deliberation.views import T, full_url, show_error


def _get_poll(access, pk) -> Poll:
    poll = (
        Poll.objects.filter(building=access.building, pk=pk)
        .select_related("proposal")
        .first()
    )
    if poll is None:
        raise Http404
    poll.building = access.building
    return poll


def poll_create(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, MANAGE)
    proposal = get_proposal_or_404(access, pk)
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
    return (
        Ballot.objects.filter(poll=poll, slot__in=Poll.voter_slots(resident))
        .select_related("resident", "household", "option")
        .first()
    )


def _poll_personal(request, building_pk, pk, *, access=None, poll=None, options=None):
    """The poll page's own part for this person: their household's ballot and the form."""
    if access is None:
        access = get_access_or_404(request.user, building_pk, VIEW)
    if poll is None:
        poll = _get_poll(access, pk)
    if options is None:
        options = list(poll.options.all())
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
            "can_edit_poll": perms.can_change_poll(access, poll)
            and not results.ballots,
            "notes": list(ChangeNote.objects.about(poll)),
            "show_choices": show_choices,
            "ballots": ballots,
            "not_voted": not_voted,
            "is_leader": access.can_manage,
            "wechat_text": wechat_text(
                heading=_("Vote"),
                title=poll.question,
                body=poll.wechat_body,
                url=full_url(poll),
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
            poll=poll,
            option_id=form.cleaned_data["option"],
            resident=access.resident,
            seen_version=form.cleaned_data["version"],
        )
    except ValidationError as error:
        show_error(request, error)
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
        show_error(request, error)
    else:
        messages.success(
            request,
            _("The poll is closed: %(outcome)s")
            % {"outcome": services.poll_results(poll).outcome_text},
        )
    return redirect(poll)


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
            "qr": qr_svg(full_url(poll), scale=4),
            "live_url": full_url(poll),
            "notice": posting_notice(access.building),
        },
    )


def _poll_to_change(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, MANAGE)
    poll = _get_poll(access, pk)
    if not perms.can_change_poll(access, poll):
        messages.error(
            request,
            _(
                "Someone has already voted, or the poll is over: it can no longer be changed or cancelled."
            ),
        )
        return access, poll, False
    return access, poll, True


def poll_edit(request, building_pk, pk):
    access, poll, allowed = _poll_to_change(request, building_pk, pk)
    if not allowed:
        return redirect(poll)
    options = list(poll.options.order_by("position", "pk"))
    form = PollEditForm(
        request.POST or None,
        options=options,
        initial={
            "question": poll.question,
            "closes_at": timezone.localtime(poll.closes_at),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changes.edit_poll(
                poll=poll,
                by=request.user,
                question=data["question"],
                option_labels=form.option_labels(),
                closes_at=data["closes_at"],
                reason=data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The poll is changed; the building is told."))
            return redirect(poll)
    return render(
        request,
        T + "poll_edit.html",
        {"building": access.building, "poll": poll, "form": form},
    )


def poll_cancel(request, building_pk, pk):
    access, poll, allowed = _poll_to_change(request, building_pk, pk)
    if not allowed:
        return redirect(poll)
    return confirm_with_reason(
        request,
        act=lambda reason: changes.cancel_poll(
            poll=poll, by=request.user, reason=reason
        ),
        done=_("The poll is cancelled; the proposal is back in discussion."),
        back_url=poll.get_absolute_url(),
        back_label=poll.question,
        heading=_("Cancel the poll"),
        explanation=_(
            "Nobody has voted yet. The poll stays on its page, marked as cancelled, with your reason; the building is told."
        ),
        button=_("Cancel the poll"),
    )
