"""Council meeting forms: calling a meeting, minutes, sign-in, follow-up tasks."""

from django import forms
from django.utils.translation import gettext_lazy as _

from buildings.forms import ReasonForm
from core.forms import DateField, DateTimeField
from core.uploads import ImageUploadField
from proposals.deliberation.forms import DATETIME
from proposals.deliberation.meetings.models import Meeting
from proposals.deliberation.proposals.models import Proposal


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["title", "starts_at", "place", "agenda", "agenda_notes"]
        field_classes = {"starts_at": DateTimeField}
        widgets = {
            "starts_at": DATETIME,
            "agenda": forms.CheckboxSelectMultiple,
            "agenda_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, building, **kwargs):
        super().__init__(*args, **kwargs)
        # A raised matter still gathering co-signatures is not for the council yet.
        self.fields["agenda"].queryset = building.proposals.exclude(
            status__in=[Proposal.Status.WITHDRAWN, Proposal.Status.GATHERING]
        )
        self.fields["agenda"].required = False
        if not self.is_bound and self.instance.pk is None:
            # Raised matters that gathered their co-signatures come ticked.
            self.initial.setdefault(
                "agenda",
                list(
                    building.proposals.waiting_for_agenda().values_list("pk", flat=True)
                ),
            )


class MeetingChangeForm(MeetingForm, ReasonForm):
    class Meta(MeetingForm.Meta):
        pass


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
    """Who signs in: a resident of the building or a member of the branch staff."""

    resident = forms.IntegerField(min_value=1, required=False)
    staff = forms.IntegerField(min_value=1, required=False)

    def clean(self):
        data = super().clean()
        if bool(data.get("resident")) == bool(data.get("staff")):
            raise forms.ValidationError(_("Please choose who signs in."))
        return data


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Follow-up task"), max_length=200)
    owner = forms.TypedChoiceField(label=_("Owner"), coerce=int, choices=())
    due_on = DateField(
        label=_("Due on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, residents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [
            (r.pk, f"{r.name} ({r.household.room})") for r in residents
        ]
