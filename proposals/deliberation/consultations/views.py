"""Consultation pages: list, publish, questions, answer, door-to-door visit, results, export,
and a leader's change or cancellation before the first answer (consultations.changes)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from buildings.models import ChangeNote
from buildings.permissions import MANAGE, ORGANISE, PARTICIPATE, VIEW, get_access_or_404
from buildings.services import find_household, wechat_text
from buildings.views.changes import confirm_with_reason
from core.exports import csv_writer
from proposals.deliberation.consultations import changes, services
from proposals.deliberation.consultations import permissions as perms
from proposals.deliberation.consultations.forms import (
    AnswerForm,
    ConsultationEditForm,
    ConsultationForm,
    QuestionForm,
    VisitForm,
)
from proposals.deliberation.consultations.models import Answer, Consultation
from proposals.deliberation.origin import Origin
from proposals.deliberation.tally import percent
from proposals.deliberation.views import T, full_url, show_error


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
                "percent": percent(counts.get(c.pk, 0), total),
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
    response_count = consultation.responses.count()
    show_results = answered or visited or consultation.has_closed or access.can_organise
    return {
        "building": access.building,
        "consultation": consultation,
        "questions": questions,
        "form": form if can_answer else None,
        "answered": answered,
        "visited": visited,
        "can_organise": access.can_organise,
        "can_change": access.can_manage
        and not consultation.is_cancelled
        and not response_count,
        "notes": list(ChangeNote.objects.about(consultation)),
        "results": consultation_results(consultation, questions)
        if show_results
        else None,
        "response_count": response_count,
        "visit_count": consultation.responses.filter(
            origin=Origin.DOOR_TO_DOOR
        ).count(),
        "wechat_text": wechat_text(
            heading=_("Consultation"),
            title=consultation.title,
            body=consultation.intro,
            url=full_url(consultation),
        ),
    }


def _seen_version(request) -> int | None:
    """The version of the consultation the resident read (a hidden field), if sent."""
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


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
                seen_version=_seen_version(request),
            )
        except ValidationError as error:
            show_error(request, error)
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


def _consultation_to_change(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, MANAGE)
    consultation = _get_consultation(access, pk)
    allowed = not consultation.is_cancelled and not consultation.responses.exists()
    if not allowed:
        messages.error(
            request,
            _(
                "People have already answered, or it was cancelled: the consultation can no longer be changed or cancelled."
            ),
        )
    return access, consultation, allowed


def consultation_edit(request, building_pk, pk):
    access, consultation, allowed = _consultation_to_change(request, building_pk, pk)
    if not allowed:
        return redirect(consultation)
    form = ConsultationEditForm(
        request.POST or None,
        initial={
            "title": consultation.title,
            "intro": consultation.intro,
            "closes_at": timezone.localtime(consultation.closes_at),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changes.edit_consultation(
                consultation=consultation, by=request.user, **data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The consultation is changed; the building is told.")
            )
            return redirect(consultation)
    return render(
        request,
        T + "consultation_form.html",
        {"building": access.building, "form": form, "consultation": consultation},
    )


def consultation_cancel(request, building_pk, pk):
    access, consultation, allowed = _consultation_to_change(request, building_pk, pk)
    if not allowed:
        return redirect(consultation)
    return confirm_with_reason(
        request,
        act=lambda reason: changes.cancel_consultation(
            consultation=consultation, by=request.user, reason=reason
        ),
        done=_("The consultation is cancelled; the building is told."),
        back_url=consultation.get_absolute_url(),
        back_label=consultation.title,
        heading=_("Cancel the consultation"),
        explanation=_(
            "Nobody has answered yet. It stays on its page, marked as cancelled, with your reason; the building is told."
        ),
        button=_("Cancel the consultation"),
    )
