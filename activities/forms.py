from django import forms
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, Task
from activities.services import MAX_PARTY
from buildings.models import ChangeNote, Resident
from buildings.rooms import natural
from core.forms import DateTimeField
from core.uploads import ImageUploadField

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def datetime_input():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)


REASON_MAX = ChangeNote._meta.get_field("reason").max_length


class ActivityForm(forms.ModelForm):
    cover = ImageUploadField(label=_("Cover photo"), required=False)
    whole_community = forms.BooleanField(
        label=_("For the whole community (all buildings)"), required=False
    )

    class Meta:
        model = Activity
        fields = [
            "kind",
            "title",
            "text",
            "starts_at",
            "ends_at",
            "place",
            "capacity",
            "signup_deadline",
            "organiser",
            "max_adults_per_household",
            "max_children_per_household",
            "counts_as_volunteering",
            "cover",
        ]
        field_classes = {
            "starts_at": DateTimeField,
            "ends_at": DateTimeField,
            "signup_deadline": DateTimeField,
        }
        widgets = {
            "starts_at": datetime_input(),
            "ends_at": datetime_input(),
            "signup_deadline": datetime_input(),
            "text": forms.Textarea(attrs={"rows": 4}),
            "capacity": forms.NumberInput(
                attrs={"inputmode": "numeric", "min": 1, "max": 10000}
            ),
        }
        help_texts = {
            "organiser": _("Often one of the building's talents."),
            "max_adults_per_household": _(
                "Leave empty for no limit. A parent-child activity: 1."
            ),
            "max_children_per_household": _("Leave empty for no limit."),
        }

    def __init__(self, *args, building, may_choose_community=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = (
            Resident.objects.approved()
            .in_building(building)
            .select_related("household")
            .order_by("name")
        )
        self.fields["organiser"].label_from_instance = lambda r: (
            f"{r.name} ({r.household.room})"
        )
        for name in ("starts_at", "ends_at", "signup_deadline"):
            self.fields[name].input_formats = [
                DATETIME_FORMAT,
                "%Y-%m-%d %H:%M",
                "%Y-%m-%d %H:%M:%S",
            ]
        if not may_choose_community or self.instance.pk:
            del self.fields["whole_community"]
        if self.instance.pk:
            # A change is kept in sight: the reason is shown on the activity's page.
            self.fields["reason"] = forms.CharField(
                label=_("Why the change"),
                max_length=REASON_MAX,
                help_text=_(
                    "Shown on the activity's page with the change, for everyone to read."
                ),
            )

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        if capacity < 1 or capacity > 10000:
            raise forms.ValidationError(
                _("Capacity must be between 1 and 10,000 people.")
            )
        return capacity

    def clean(self):
        data = super().clean()
        starts, ends, deadline = (
            data.get("starts_at"),
            data.get("ends_at"),
            data.get("signup_deadline"),
        )
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The end must be after the start."))
        if starts and deadline and deadline > starts:
            self.add_error(
                "signup_deadline", _("The sign-up deadline must be before the start.")
            )
        return data

    def activity_fields(self) -> dict:
        """The cleaned model fields for the service (cover only when new or cleared)."""
        fields = {
            name: self.cleaned_data[name]
            for name in self.Meta.fields
            if name != "cover"
        }
        cover = self.cleaned_data.get("cover")
        if cover is False:  # "Clear" ticked: no cover (the photo is deleted)
            fields["cover"] = ""
        elif cover:
            fields["cover"] = cover
        return fields


class SignUpForm(forms.Form):
    adults = forms.IntegerField(
        label=_("Adults"),
        min_value=0,
        max_value=MAX_PARTY,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    children = forms.IntegerField(
        label=_("Children"),
        min_value=0,
        max_value=MAX_PARTY,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def clean(self):
        data = super().clean()
        adults, children = data.get("adults"), data.get("children")
        if adults is not None and children is not None:
            if adults + children < 1:
                raise forms.ValidationError(_("Please sign up at least one person."))
            if adults + children > MAX_PARTY:
                raise forms.ValidationError(
                    _("At most %(max)s people can sign up together.")
                    % {"max": MAX_PARTY}
                )
        return data


class ProxySignUpForm(SignUpForm):
    resident = forms.ModelChoiceField(
        queryset=Resident.objects.none(), label=_("Resident")
    )

    field_order = ["resident", "adults", "children"]

    def __init__(self, *args, building, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = (
            Resident.objects.approved()
            .in_building(building)
            .select_related("household")
            .order_by(*natural("household__room"), "name")
        )
        self.fields["resident"].label_from_instance = lambda r: (
            f"{r.household.room} {r.name}"
        )


class RecapForm(forms.Form):
    recap = forms.CharField(
        label=_("Recap"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    photo = ImageUploadField(label=_("Add a photo"), required=False)
    caption = forms.CharField(label=_("Caption"), max_length=100, required=False)


class TaskForm(forms.ModelForm):
    first_starts_at = DateTimeField(
        label=_("First shift starts at"),
        widget=datetime_input(),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
    )
    duration_minutes = forms.IntegerField(
        label=_("Each shift lasts (minutes)"), min_value=10, max_value=720, initial=60
    )
    repeat_weeks = forms.IntegerField(
        label=_("Every week, how many weeks"), min_value=1, max_value=52, initial=8
    )

    class Meta:
        model = Task
        fields = ["kind", "title", "description", "place"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class SwapForm(forms.Form):
    mine = forms.ModelChoiceField(
        queryset=None, label=_("My shift to give in return"), empty_label=None
    )

    def __init__(self, *args, shifts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mine"].queryset = shifts
