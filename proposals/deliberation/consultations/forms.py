"""Consultation forms: the questionnaire, the answers, the door-to-door visit."""

from django import forms
from django.utils.translation import gettext_lazy as _

from buildings.forms import ReasonForm
from core.forms import DateTimeField
from proposals.deliberation.consultations.models import Choice, Question
from proposals.deliberation.forms import DATETIME, refuse_long_lines


class ConsultationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    intro = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    opens_at = DateTimeField(label=_("Opens at"), widget=DATETIME)
    closes_at = DateTimeField(label=_("Closes at"), widget=DATETIME)

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error(
                "closes_at", _("The consultation must close after it opens.")
            )
        return data


class ConsultationEditForm(ReasonForm):
    """Before the first answer: the title, introduction and closing time."""

    title = forms.CharField(label=_("Title"), max_length=120)
    intro = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    closes_at = DateTimeField(label=_("Closes at"), widget=DATETIME)
    field_order = ["title", "intro", "closes_at", "reason"]


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
        refuse_long_lines(choices, Choice._meta.get_field("label").max_length)
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
