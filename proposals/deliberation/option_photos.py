"""A photo or drawing for each option of a poll and each choice of a consultation.

The lobby's design choices are easier to judge seen than read. Photos go through the
project's upload pipeline (core/uploads.py) and can be changed only until the first
ballot or answer: nobody should vote on one picture and find another.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from buildings.permissions import MANAGE, ORGANISE, get_access_or_404
from core.races import locked
from core.uploads import ACCEPT, ImageUploadField
from proposals.deliberation.consultations.models import Choice, Consultation
from proposals.deliberation.polls.models import Poll, PollOption
from proposals.deliberation.views import T, show_error


class OptionPhotosForm(forms.Form):
    """One photo field per option, and a "remove" box for an option that has one."""

    def __init__(self, *args, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for option in options:
            self.fields[f"photo_{option.pk}"] = ImageUploadField(
                label=option.text,
                required=False,
                widget=forms.FileInput(attrs={"accept": ACCEPT}),
            )
            if option.photo:
                self.fields[f"clear_{option.pk}"] = forms.BooleanField(
                    label=gettext_lazy("Remove this photo"), required=False
                )
            self.rows.append(option)

    def bound_rows(self):
        """(option, photo field, remove box or None), for the template."""
        return [
            (
                option,
                self[f"photo_{option.pk}"],
                self[f"clear_{option.pk}"] if option.photo else None,
            )
            for option in self.rows
        ]

    def changes(self) -> tuple[dict[int, ContentFile], set[int]]:
        photos = {
            option.pk: self.cleaned_data[f"photo_{option.pk}"]
            for option in self.rows
            if self.cleaned_data.get(f"photo_{option.pk}")
        }
        cleared = {
            option.pk
            for option in self.rows
            if self.cleaned_data.get(f"clear_{option.pk}") and option.pk not in photos
        }
        return photos, cleared


def _apply(options, photos: dict, cleared: set) -> int:
    changed = 0
    for option in options:
        if option.pk in photos:
            content = photos[option.pk]
            option.photo.save(content.name, content, save=False)
        elif option.pk in cleared:
            option.photo = ""
        else:
            continue
        option.save(update_fields=["photo"])
        changed += 1
    return changed


@transaction.atomic
def set_poll_photos(*, poll: Poll, photos: dict, cleared: set) -> int:
    """Give the poll's options their photos, until the first ballot."""
    poll = locked(Poll.objects.filter(pk=poll.pk)).get()
    if poll.is_finalised or poll.ballots.exists():
        raise ValidationError(
            _("The photos can no longer be changed: the voting has begun.")
        )
    return _apply(list(poll.options.all()), photos, cleared)


@transaction.atomic
def set_consultation_photos(
    *, consultation: Consultation, photos: dict, cleared: set
) -> int:
    """Give the consultation's choices their photos, until the first answer."""
    consultation = locked(Consultation.objects.filter(pk=consultation.pk)).get()
    if consultation.responses.exists():
        raise ValidationError(
            _("The photos can no longer be changed: residents have begun to answer.")
        )
    choices = Choice.objects.filter(question__consultation=consultation)
    return _apply(list(choices), photos, cleared)


def _page(request, *, access, target, options, setter, editable):
    form = OptionPhotosForm(
        request.POST or None, request.FILES or None, options=options
    )
    if request.method == "POST":
        if not editable:
            messages.error(
                request, _("The photos can no longer be changed: answers have begun.")
            )
            return redirect(target)
        if form.is_valid():
            photos, cleared = form.changes()
            try:
                changed = setter(photos, cleared)
            except ValidationError as error:
                show_error(request, error)
                return redirect(target)
            messages.success(
                request,
                _("Photos saved (%(count)d changed).") % {"count": changed},
            )
            return redirect(target)
    return render(
        request,
        T + "option_photos.html",
        {
            "building": access.building,
            "target": target,
            "form": form,
            "editable": editable,
        },
    )


def poll_photos(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, MANAGE)
    poll = get_object_or_404(Poll.objects.filter(building=access.building), pk=pk)
    options = list(PollOption.objects.filter(poll=poll))
    return _page(
        request,
        access=access,
        target=poll,
        options=options,
        setter=lambda photos, cleared: set_poll_photos(
            poll=poll, photos=photos, cleared=cleared
        ),
        editable=not poll.is_finalised and not poll.ballots.exists(),
    )


def consultation_photos(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, ORGANISE)
    consultation = get_object_or_404(access.building.consultations.all(), pk=pk)
    options = list(
        Choice.objects.filter(question__consultation=consultation)
        .select_related("question")
        .order_by("question__position", "question_id", "position", "pk")
    )
    for choice in options:
        choice.label = f"{choice.question.text} · {choice.label}"
    return _page(
        request,
        access=access,
        target=consultation,
        options=options,
        setter=lambda photos, cleared: set_consultation_photos(
            consultation=consultation, photos=photos, cleared=cleared
        ),
        editable=not consultation.responses.exists(),
    )
