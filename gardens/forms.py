from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from buildings.models import Resident
from core.forms import DateTimeField
from core.uploads import ImageUploadField
from gardens.models import GardenSpace
from gardens.seasons import season_label
from gardens.services import MAX_TURNS_AT_ONCE, adoptable_seasons

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class SpaceForm(forms.ModelForm):
    photo = ImageUploadField(label=_("Photo"), required=False)

    class Meta:
        model = GardenSpace
        fields = ["name", "place", "notes", "photo"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def photo_value(self):
        """None keeps the photo, False clears it, a file replaces it."""
        photo = self.cleaned_data.get("photo")
        if photo is False:
            return False
        return photo or None


class ShownAsForm(forms.Form):
    shown_as = forms.ChoiceField(
        label=_("How our household appears"),
        choices=Resident.PublicDisplay.choices,
        initial=Resident.PublicDisplay.ROOM,
        widget=forms.RadioSelect,
    )


class AdoptForm(ShownAsForm):
    season = forms.TypedChoiceField(
        label=_("Season"), coerce=date.fromisoformat, widget=forms.RadioSelect
    )

    field_order = ["season", "shown_as"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        seasons = adoptable_seasons()
        self.fields["season"].choices = [
            (season.isoformat(), season_label(season)) for season in seasons
        ]
        self.fields["season"].initial = seasons[0].isoformat()


class TurnsForm(forms.Form):
    first_starts_at = DateTimeField(
        label=_("First turn starts at"),
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format=DATETIME_FORMAT
        ),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
    )
    duration_minutes = forms.IntegerField(
        label=_("Each turn lasts (minutes)"), min_value=10, max_value=720, initial=30
    )
    weeks = forms.IntegerField(
        label=_("Every week, how many weeks"),
        min_value=1,
        max_value=MAX_TURNS_AT_ONCE,
        initial=12,
    )
