"""A leader changes or cancels a consultation before the first answer (consultations.changes)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from buildings.forms import ReasonForm
from buildings.permissions import MANAGE, get_access_or_404
from proposals.deliberation.consultations import changes
from proposals.deliberation.consultations.forms import ConsultationEditForm
from proposals.deliberation.consultations.views import _get_consultation
from proposals.deliberation.views import T, show_error


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
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            changes.cancel_consultation(
                consultation=consultation,
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            show_error(request, error)
        else:
            messages.success(
                request, _("The consultation is cancelled; the building is told.")
            )
        return redirect(consultation)
    return render(
        request,
        "buildings/confirm_with_reason.html",
        {
            "heading": _("Cancel the consultation"),
            "explanation": _(
                "Nobody has answered yet. It stays on its page, marked as cancelled, with your reason; the building is told."
            ),
            "form": form,
            "button": _("Cancel the consultation"),
            "back_url": consultation.get_absolute_url(),
            "back_label": consultation.title,
        },
    )
