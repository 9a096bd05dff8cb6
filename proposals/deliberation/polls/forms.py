"""Poll forms: opening a poll, voting, closing, entering a paper ballot."""

from django import forms
from django.utils.translation import gettext_lazy as _

from buildings.forms import ReasonForm
from core.forms import DateTimeField
from core.uploads import ImageUploadField
from proposals.deliberation.forms import DATETIME, refuse_long_lines
from proposals.deliberation.origin import Origin
from proposals.deliberation.polls.models import Poll, PollOption


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
    opens_at = DateTimeField(label=_("Opens at"), widget=DATETIME)
    closes_at = DateTimeField(label=_("Closes at"), widget=DATETIME)
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
        refuse_long_lines(options, PollOption._meta.get_field("label").max_length)
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
    # The version of the poll the voter read (polls.changes); absent from old pages.
    version = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)


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
        self.fields["option"].choices = [(o.pk, o.text) for o in poll.options.all()]
        if poll.is_secret:
            self.fields.pop("slip_photo")


class PollEditForm(ReasonForm):
    """Before the first ballot: the question, each option's words, the closing time."""

    question = forms.CharField(label=_("Question"), max_length=200)
    closes_at = DateTimeField(label=_("Closes at"), widget=DATETIME)

    def __init__(self, *args, options, **kwargs):
        super().__init__(*args, **kwargs)
        limit = PollOption._meta.get_field("label").max_length
        for i, option in enumerate(options):
            self.fields[f"option_{i}"] = forms.CharField(
                label=_("Option %(number)d") % {"number": i + 1},
                max_length=limit,
                initial=option.text,
            )
        self.option_count = len(options)
        numbered = [f"option_{i}" for i in range(self.option_count)]
        self.order_fields(["question", *numbered, "closes_at", "reason"])

    def option_labels(self) -> list[str]:
        return [self.cleaned_data[f"option_{i}"] for i in range(self.option_count)]
