"""Raised-matter forms: raising a matter, the leader's threshold; the rules live in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from proposals.deliberation.proposals.models import Proposal
from proposals.deliberation.raising.categories import fund_categories
from proposals.deliberation.raising.models import ProposalPhoto
from proposals.deliberation.raising.services import MAX_THRESHOLD
from proposals.issues.forms import PhotosField


class RaiseForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=Proposal._meta.get_field("title").max_length,
        help_text=_("For example: Plants and benches for the lobby"),
    )
    body = forms.CharField(
        label=_("What and why"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What should change, and why it matters to the building."),
    )
    photos = PhotosField(
        label=_("Photos (up to 4)"),
        max_files=ProposalPhoto.MAX,
        help_text=_("Location data is removed."),
    )
    budget = forms.DecimalField(
        label=_("Cost estimate (¥, optional)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    fund_category = forms.ChoiceField(
        label=_("Fund category (optional)"), required=False, choices=()
    )

    def __init__(self, *args, building, **kwargs):
        super().__init__(*args, **kwargs)
        names = fund_categories(building)
        if names:
            self.fields["fund_category"].choices = [("", "—")] + [
                (name, name) for name in names
            ]
        else:
            self.fields.pop("fund_category")


class ThresholdForm(forms.Form):
    threshold = forms.IntegerField(
        label=_("Households needed to co-sign"),
        min_value=1,
        max_value=MAX_THRESHOLD,
        help_text=_(
            "The proposer's household counts as the first. Matters already raised "
            "keep the number they started with."
        ),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
