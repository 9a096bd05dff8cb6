"""Input shape and per-field checks; the rules across objects live in the services."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from buildings.uploads import ImageUploadField
from proposals.deliberation_models import (
    Choice,
    Meeting,
    Origin,
    Poll,
    PollOption,
    Proposal,
    Question,
)

DATETIME = forms.DateTimeInput(
    attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
)


class ProposalForm(forms.ModelForm):
    origin_issues = forms.CharField(
        label=_("From issue reports (numbers)"),
        required=False,
        max_length=200,
        help_text=_("Optional. For example: 12, 15"),
    )

    class Meta:
        model = Proposal
        fields = ["kind", "title", "body", "budget"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 6}),
            "budget": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields.pop("kind")
            self.initial["origin_issues"] = ", ".join(
                str(pk)
                for pk in self.instance.origin_issues.values_list("pk", flat=True)
            )

    def clean_origin_issues(self):
        raw = self.cleaned_data["origin_issues"]
        parts = [p for p in re.split(r"[,，\s#]+", raw) if p]
        if not all(p.isdecimal() and len(p) < 10 for p in parts):
            raise forms.ValidationError(
                _("Write issue numbers separated by commas, for example: 12, 15")
            )
        return [int(p) for p in parts]

    def clean_budget(self):
        budget = self.cleaned_data["budget"]
        if budget is not None and budget < 0:
            raise forms.ValidationError(_("The budget cannot be negative."))
        return budget


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _refuse_long_lines(text: str, limit: int) -> None:
    """One line per choice: a line longer than the choice can hold is refused, not cut."""
    for line in text.splitlines():
        if len(line.strip()) > limit:
            raise forms.ValidationError(
                _("“%(start)s…” is too long: at most %(max)d characters a line.")
                % {"start": line.strip()[:10], "max": limit}
            )


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Proposal.Status.choices)
    note = forms.CharField(
        label=_("How it was decided"), max_length=300, required=False
    )


class PollForm(forms.Form):
    question = forms.CharField(label=_("Question"), max_length=200)
    options = forms.CharField(
        label=_("Options, one per line"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Leave empty for In favour / Against / Abstain. For a naming poll, one name per line."
        ),
    )
    electorate = forms.ChoiceField(
        label=_("Who votes"), choices=Poll.Electorate.choices, initial="household"
    )
    opens_at = forms.DateTimeField(label=_("Opens at"), widget=DATETIME)
    closes_at = forms.DateTimeField(label=_("Closes at"), widget=DATETIME)
    quorum_percent = forms.IntegerField(
        label=_("Quorum (percent of households)"),
        min_value=0,
        max_value=100,
        initial=50,
    )
    is_secret = forms.BooleanField(
        label=_("Secret ballot (nobody can see who chose what)"), required=False
    )
    results_live = forms.BooleanField(
        label=_("Show results while voting (open polls only)"), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("is_secret") and data.get("results_live"):
            self.add_error(
                "results_live",
                _("A secret poll shows its results only after it closes."),
            )
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The poll must close after it opens."))
        return data

    def clean_options(self):
        options = self.cleaned_data["options"]
        _refuse_long_lines(options, PollOption._meta.get_field("label").max_length)
        return options

    def option_labels(self) -> list[str]:
        return [
            line.strip()
            for line in self.cleaned_data.get("options", "").splitlines()
            if line.strip()
        ]


class VoteForm(forms.Form):
    """The option id is checked against the poll by the service (forged ids included)."""

    option = forms.IntegerField(
        min_value=1,
        error_messages={"required": _("Please choose one of the options.")},
    )


class ClosePollForm(forms.Form):
    """Closing before the end time needs a reason (the service decides when)."""

    reason = forms.CharField(
        label=_("Why close before the end time?"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown with the result, for everyone in the building."),
    )


class EnterBallotForm(forms.Form):
    room = forms.CharField(label=_("Room"), max_length=20)
    voter = forms.CharField(
        label=_("Voter's name (as on the slip)"),
        max_length=40,
        required=False,
        help_text=_("Required when each adult votes."),
    )
    option = forms.TypedChoiceField(label=_("Choice"), coerce=int, choices=())
    origin = forms.ChoiceField(
        label=_("How the ballot was collected"),
        choices=[c for c in Origin.choices if c[0] != Origin.ONLINE],
    )
    slip_photo = ImageUploadField(
        label=_("Photo of the slip (optional, open polls only)"), required=False
    )

    def __init__(self, *args, poll, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["option"].choices = [(o.pk, o.label) for o in poll.options.all()]
        if poll.is_secret:
            self.fields.pop("slip_photo")


class ConsultationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    intro = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    opens_at = forms.DateTimeField(label=_("Opens at"), widget=DATETIME)
    closes_at = forms.DateTimeField(label=_("Closes at"), widget=DATETIME)

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error(
                "closes_at", _("The consultation must close after it opens.")
            )
        return data


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=Question.Kind.choices)
    choices = forms.CharField(
        label=_("Choices, one per line"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Not needed for a free-text question."),
    )
    required = forms.BooleanField(
        label=_("An answer is required"), required=False, initial=True
    )

    def clean_choices(self):
        choices = self.cleaned_data["choices"]
        _refuse_long_lines(choices, Choice._meta.get_field("label").max_length)
        return choices

    def choice_labels(self) -> list[str]:
        return [
            c for c in self.cleaned_data.get("choices", "").splitlines() if c.strip()
        ]


class AnswerForm(forms.Form):
    """One field per question; unknown choice ids are rejected as invalid choices."""

    def __init__(self, *args, consultation, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            name = f"q{question.pk}"
            choices = [(str(c.pk), c.label) for c in question.choices.all()]
            if question.kind == Question.Kind.SINGLE:
                field = forms.ChoiceField(
                    choices=choices,
                    widget=forms.RadioSelect,
                    required=question.required,
                )
            elif question.kind == Question.Kind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    choices=choices,
                    widget=forms.CheckboxSelectMultiple,
                    required=question.required,
                )
            else:
                field = forms.CharField(
                    max_length=1000,
                    required=question.required,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
            field.label = question.text
            self.fields[name] = field

    def clean(self):
        data = super().clean()
        getlist = getattr(self.data, "getlist", None)
        for question in self.questions:
            name = f"q{question.pk}"
            if question.kind != Question.Kind.MULTIPLE and getlist is not None:
                if len(getlist(name)) > 1:
                    self.add_error(name, _("Give only one answer to this question."))
        return data

    def answers(self) -> dict:
        """Question -> list of Choice, or text."""
        result = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q{question.pk}")
            if question.kind == Question.Kind.TEXT:
                result[question] = value or ""
                continue
            ids = value if isinstance(value, list) else ([value] if value else [])
            by_id = {str(c.pk): c for c in question.choices.all()}
            result[question] = [by_id[i] for i in ids]
        return result


class VisitForm(forms.Form):
    room = forms.CharField(
        label=_("Room visited"),
        max_length=20,
        help_text=_("The answers are marked as taken on a door-to-door visit."),
    )


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["title", "starts_at", "place", "agenda", "agenda_notes"]
        widgets = {
            "starts_at": DATETIME,
            "agenda": forms.CheckboxSelectMultiple,
            "agenda_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, building, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda"].queryset = building.proposals.exclude(
            status=Proposal.Status.WITHDRAWN
        )
        self.fields["agenda"].required = False


class MinutesForm(forms.ModelForm):
    photo = ImageUploadField(label=_("Photo"), required=False)

    class Meta:
        model = Meeting
        fields = ["minutes", "decisions", "photo"]
        widgets = {
            "minutes": forms.Textarea(attrs={"rows": 8}),
            "decisions": forms.Textarea(attrs={"rows": 4}),
        }


class AttendanceForm(forms.Form):
    resident = forms.IntegerField(min_value=1)


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Follow-up task"), max_length=200)
    owner = forms.TypedChoiceField(label=_("Owner"), coerce=int, choices=())
    due_on = forms.DateField(
        label=_("Due on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, residents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [
            (r.pk, f"{r.name} ({r.household.room})") for r in residents
        ]


class PaperSignatureForm(forms.Form):
    room = forms.CharField(label=_("Room"), max_length=20)
    signer_name = forms.CharField(label=_("Name on the paper"), max_length=40)
