"""Proposal forms: input shape and per-field checks; the rules live in the services."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from proposals.deliberation.proposals.models import Proposal


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


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Proposal.Status.choices)
    note = forms.CharField(
        label=_("How it was decided"), max_length=300, required=False
    )
