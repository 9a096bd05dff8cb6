"""Writes for consultations: publishing, adding questions, recording answers."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from buildings.models import Building, Household, Resident, User
from core.races import locked, pause, set_lock_timeout, share_lock
from proposals.deliberation.consultations.models import (
    Answer,
    Choice,
    Consultation,
    ConsultationResponse,
    Question,
)
from proposals.deliberation.notices import when_text
from proposals.deliberation.origin import Origin


def create_consultation(
    *,
    building: Building,
    created_by: User,
    title: str,
    intro: str,
    opens_at: datetime,
    closes_at: datetime,
) -> Consultation:
    """Publish a questionnaire (征询); questions are added next."""
    if closes_at <= opens_at:
        raise ValidationError(_("The consultation must close after it opens."))
    return Consultation.objects.create(
        building=building,
        created_by=created_by,
        title=title.strip(),
        intro=intro.strip(),
        opens_at=opens_at,
        closes_at=closes_at,
    )


@transaction.atomic
def add_question(
    *,
    consultation: Consultation,
    text: str,
    kind: str,
    required: bool,
    choices: list[str],
) -> Question:
    """Add a question, before anyone has answered."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.responses.exists():
        raise ValidationError(
            _("People have already answered: the questions can no longer change.")
        )
    labels = [c.strip() for c in choices if c.strip()]
    limit = Choice._meta.get_field("label").max_length
    if any(len(label) > limit for label in labels):
        raise ValidationError(
            _("A choice can be at most %(max)d characters long.") % {"max": limit}
        )
    if kind != Question.Kind.TEXT and len(labels) < 2:
        raise ValidationError(_("A choice question needs at least two choices."))
    if len(set(labels)) != len(labels):
        raise ValidationError(_("Two choices have the same text."))
    if kind == Question.Kind.TEXT:
        labels = []
    position = consultation.questions.count()
    question = Question.objects.create(
        consultation=consultation,
        text=text.strip(),
        kind=kind,
        required=required,
        position=position,
    )
    Choice.objects.bulk_create(
        Choice(question=question, label=label, position=i)
        for i, label in enumerate(labels)
    )
    return question


@transaction.atomic
def submit_response(
    *,
    consultation: Consultation,
    answers: dict,
    resident: Resident | None = None,
    household: Household | None = None,
    entered_by: User | None = None,
    seen_version: int | None = None,
) -> ConsultationResponse:
    """Store one resident's answers, or one household's answers taken on a visit.

    answers maps each Question to a list of Choice (choice questions) or a str. The
    consultation row is locked first, as an edit (consultations.changes) locks it: an
    answer to a version the resident did not read is refused.
    """
    visit = entered_by is not None and resident is None
    if household is None:
        if resident is None:
            raise ValidationError(_("Choose the household you visited."))
        household = resident.household
    set_lock_timeout()
    share_lock(Consultation, consultation.pk)  # answers share it; an edit waits
    consultation = Consultation.objects.get(pk=consultation.pk)
    if consultation.is_cancelled:
        raise ValidationError(
            _("This consultation was cancelled: %(reason)s")
            % {"reason": consultation.cancel_reason}
        )
    if seen_version is not None and seen_version != consultation.version:
        raise ValidationError(
            _(
                "This consultation was changed after you opened it. Your answers were not recorded: please read it again."
            )
        )
    household = locked(Household.objects.filter(pk=household.pk)).get()
    if household.building_id != consultation.building_id:
        raise ValidationError(_("This household does not belong to this building."))
    now = timezone.now()
    if now < consultation.opens_at:
        raise ValidationError(
            _("This consultation opens at %(time)s: it cannot be answered yet.")
            % {"time": when_text(consultation.opens_at)}
        )
    if not consultation.is_open_at(now):
        raise ValidationError(_("This consultation is not open for answers."))
    questions = list(consultation.questions.prefetch_related("choices"))
    rows = []
    for question in questions:
        value = answers.get(question)
        valid_ids = {c.pk for c in question.choices.all()}
        if question.kind == Question.Kind.TEXT:
            text = (value or "").strip()
            if len(text) > 1000:
                raise ValidationError(_("An answer has at most 1000 characters."))
            if question.required and not text:
                raise ValidationError(
                    _("Please answer: %(question)s") % {"question": question.text}
                )
            if text:
                rows.append((question, None, text))
            continue
        picked = list(value or [])
        if any(getattr(c, "pk", None) not in valid_ids for c in picked):
            raise ValidationError(_("That choice is not part of this question."))
        if len({c.pk for c in picked}) != len(picked):
            raise ValidationError(_("The same choice was given twice."))
        if question.kind == Question.Kind.SINGLE and len(picked) > 1:
            raise ValidationError(
                _("Choose only one answer to: %(question)s")
                % {"question": question.text}
            )
        if question.required and not picked:
            raise ValidationError(
                _("Please answer: %(question)s") % {"question": question.text}
            )
        rows.extend((question, c, "") for c in picked)
    unknown = [q for q in answers if q not in questions]
    if unknown:
        raise ValidationError(_("That question is not part of this consultation."))
    slot = f"h:{household.pk}" if visit else f"r:{resident.pk}"
    if ConsultationResponse.objects.filter(
        consultation=consultation, slot=slot
    ).exists():
        raise ValidationError(
            _("Room %(room)s was already visited for this consultation.")
            % {"room": household.room}
            if visit
            else _("You have already answered this consultation.")
        )
    # One answer per household on a visit (the household row lock above makes the
    # check and the write one step for this household).
    household_answers = ConsultationResponse.objects.filter(
        consultation=consultation, household=household
    )
    if visit and household_answers.exists():
        raise ValidationError(
            _(
                "Room %(room)s has already answered this consultation online: a door-to-door visit cannot add another answer for the household."
            )
            % {"room": household.room}
        )
    if not visit and household_answers.filter(origin=Origin.DOOR_TO_DOOR).exists():
        raise ValidationError(
            _(
                "Your household's answers were already taken on a door-to-door visit: one answer per household."
            )
        )
    pause()
    try:
        with transaction.atomic():
            response = ConsultationResponse.objects.create(
                consultation=consultation,
                household=household,
                resident=None if visit else resident,
                slot=slot,
                origin=Origin.DOOR_TO_DOOR if visit else Origin.ONLINE,
                entered_by=entered_by if visit else None,
            )
            Answer.objects.bulk_create(
                Answer(response=response, question=q, choice=c, text=t)
                for q, c, t in rows
            )
    except IntegrityError as exc:
        raise ValidationError(_("These answers were already recorded.")) from exc
    return response
