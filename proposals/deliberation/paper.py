"""The paper path: a blank household ballot for a poll and a blank door-to-door
questionnaire for a consultation, printed on A4 with one line per room of the building
(rooms in natural order) and a QR code to the online page. The leader goes door to door
and enters the answers later on the poll's or consultation's entry page (代录)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from buildings.permissions import MANAGE, ORGANISE, get_access_or_404
from buildings.rooms import in_room_order
from core.qr import qr_svg
from proposals.deliberation.polls.models import Poll
from proposals.deliberation.views import T, full_url

OPTION_COLUMNS = 4  # up to this many options get a tick column each; more: a number
QUESTION_COLUMNS = 6  # questions per room table; more questions make more tables
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _rooms(building) -> list:
    return in_room_order(building.households.all())


def _code(index: int) -> str:
    """A, B, ... Z, then 27, 28: the mark written for a choice on the room line."""
    return LETTERS[index] if index < len(LETTERS) else str(index + 1)


def poll_ballot(request, building_pk, pk):
    """A blank household ballot for door-to-door voting, one line per room."""
    access = get_access_or_404(request.user, building_pk, MANAGE)
    poll = get_object_or_404(
        Poll.objects.filter(building=access.building).select_related("proposal"),
        pk=pk,
    )
    if poll.is_finalised:
        messages.error(request, _("This poll is closed: there is nothing to collect."))
        return redirect(poll)
    options = list(poll.options.all())
    voted = set()
    if not poll.per_resident:
        # Households that voted already are marked, so nobody knocks twice. Only
        # that they voted, as on the poll page: a secret ballot's choice is never read.
        voted = set(poll.ballots.values_list("household_id", flat=True))
    rooms = [
        (household, household.pk in voted) for household in _rooms(access.building)
    ]
    return render(
        request,
        T + "poll_ballot.html",
        {
            "building": access.building,
            "poll": poll,
            "options": [(index + 1, option) for index, option in enumerate(options)],
            "option_list": options,  # for the photos, numbered the same way
            "tick_columns": len(options) <= OPTION_COLUMNS,
            "rooms": rooms,
            "qr": qr_svg(full_url(poll), scale=4),
            "live_url": full_url(poll),
            "can_enter": poll.is_open,
        },
    )


def consultation_sheet(request, building_pk, pk):
    """A blank door-to-door questionnaire: the questions, then one line per room."""
    access = get_access_or_404(request.user, building_pk, ORGANISE)
    consultation = get_object_or_404(access.building.consultations, pk=pk)
    questions = list(consultation.questions.prefetch_related("choices"))
    numbered = [
        (
            number,
            question,
            [
                (_code(index), choice)
                for index, choice in enumerate(question.choices.all())
            ],
        )
        for number, question in enumerate(questions, start=1)
    ]
    tables = [
        numbered[start : start + QUESTION_COLUMNS]
        for start in range(0, len(numbered), QUESTION_COLUMNS)
    ] or [[]]
    return render(
        request,
        T + "consultation_sheet.html",
        {
            "building": access.building,
            "consultation": consultation,
            "questions": numbered,
            "tables": tables,
            "rooms": _rooms(access.building),
            "qr": qr_svg(full_url(consultation), scale=4),
            "live_url": full_url(consultation),
            "can_enter": consultation.is_open,
        },
    )
