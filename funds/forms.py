import re
import unicodedata
import uuid
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buildings.forms import ReasonForm
from buildings.models import Resident
from buildings.rooms import natural
from core.forms import DateField
from core.uploads import ImageUploadField
from funds.blur import cell_region, grid_cells
from funds.models import Campaign, CampaignNeed, Fund, LedgerEntry, PublicName
from funds.money import MoneyField
from proposals.models import Proposal


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(**kwargs)


def today():
    return timezone.localdate()


class TokenField(forms.UUIDField):
    """A hidden one-time token: a double-tapped submit carries the same token twice."""

    def __init__(self, **kwargs):
        super().__init__(widget=forms.HiddenInput, initial=uuid.uuid4, **kwargs)


class QuantityField(forms.CharField):
    """A positive quantity with at most two decimals; full-width digits are accepted."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Quantity"))
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "maxlength": "12"})

    def to_python(self, value):
        value = unicodedata.normalize("NFKC", super().to_python(value) or "").strip()
        if not value:
            return None
        if not re.fullmatch(r"\d{1,7}(\.\d{1,2})?", value):
            raise forms.ValidationError(
                _("Please enter a number, for example 3 or 2.5.")
            )
        try:
            number = Decimal(value)
        except InvalidOperation as exc:  # pragma: no cover - the pattern excludes it
            raise forms.ValidationError(
                _("Please enter a number, for example 3 or 2.5.")
            ) from exc
        if number <= 0:
            raise forms.ValidationError(_("The quantity must be more than zero."))
        return number


class DonorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.household.room} · {obj.name}"


def resident_choices(fund: Fund):
    return (
        Resident.objects.approved()
        .in_building(fund.building)
        .select_related("household")
        .order_by(*natural("household__room"), "name")
    )


class FundSettingsForm(forms.ModelForm):
    approval_threshold = MoneyField(
        allow_zero=True, label=_("Approval needed above (¥)")
    )
    matching_ratio = forms.DecimalField(
        label=_("Matching: yuan added per yuan raised"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    matching_cap = MoneyField(allow_zero=True, label=_("Matching: at most (¥)"))

    class Meta:
        model = Fund
        fields = [
            "approval_threshold",
            "matching_source",
            "matching_ratio",
            "matching_cap",
        ]


class RulesForm(forms.Form):
    allowed = forms.CharField(
        label=_("The fund may pay for (one per line)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
    )
    forbidden = forms.CharField(
        label=_("The fund may not pay for (one per line)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        required=False,
    )
    categories = forms.CharField(
        label=_("Project categories (one per line)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )
    introduction = forms.CharField(
        label=_("Introduction"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )
    adopted_on = DateField(label=_("Adopted on"), widget=DateInput(), initial=today)
    adopted_how = forms.CharField(
        label=_("How it was adopted"),
        max_length=200,
        help_text=_(
            "For example: 2026-03-02 council meeting, 12 of 14 households agreed."
        ),
    )


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=80)
    purpose = forms.CharField(
        label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=None, required=False
    )
    goal = MoneyField(
        allow_zero=True,
        required=False,
        label=_("Money goal (¥)"),
        help_text=_("Leave empty if you ask only for goods or hands."),
    )
    deadline = DateField(label=_("Deadline"), widget=DateInput())
    approval_text = forms.CharField(
        label=_("Approved by (optional)"),
        max_length=200,
        required=False,
        help_text=_("For example: 2026-11-20 council decision item 3."),
    )

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories


class CampaignEditForm(ReasonForm):
    """What an open campaign asks for and until when, with the reason for the change."""

    title = forms.CharField(label=_("Title"), max_length=80)
    purpose = forms.CharField(
        label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    goal = MoneyField(
        allow_zero=True,
        required=False,
        label=_("Money goal (¥)"),
        help_text=_("Leave empty if you ask only for goods or hands."),
    )
    deadline = DateField(label=_("Deadline"), widget=DateInput())
    field_order = ["title", "purpose", "goal", "deadline", "reason"]


class NeedForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("We ask for"), choices=CampaignNeed.Kind.choices, required=False
    )
    description = forms.CharField(label=_("What"), max_length=80, required=False)
    quantity = forms.IntegerField(
        label=_("How many"), min_value=1, max_value=10000, required=False
    )
    unit = forms.CharField(label=_("Unit"), max_length=10, required=False)

    def clean(self):
        data = super().clean()
        if data.get("description") and not data.get("quantity"):
            self.add_error("quantity", _("How many are needed?"))
        if data.get("quantity") and not data.get("description"):
            self.add_error("description", _("What is needed?"))
        return data


NeedFormSet = forms.formset_factory(NeedForm, extra=3, max_num=6)


class PledgeForm(forms.Form):
    quantity = forms.IntegerField(
        label=_("How many"), min_value=1, max_value=10000, initial=1
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=120, required=False)


class DonationForm(forms.Form):
    token = TokenField()
    amount = MoneyField()
    occurred_on = DateField(label=_("Date"), widget=DateInput(), initial=today)
    donor_resident = DonorChoiceField(
        label=_("Donor: a resident"),
        queryset=Resident.objects.none(),
        required=False,
        empty_label=_("— not a resident of the building —"),
    )
    donor_name = forms.CharField(
        label=_("…or an outside name"),
        max_length=60,
        required=False,
        help_text=_(
            "Leave both empty for an anonymous gift: the amount alone is enough."
        ),
    )
    public_name = forms.ChoiceField(
        label=_("Shown in public as"),
        choices=PublicName.choices,
        initial=PublicName.REAL_NAME,
        widget=forms.RadioSelect,
        help_text=_(
            "Ask the donor. If they chose something more private on their own page, "
            "that is used."
        ),
    )
    paid_by = forms.ChoiceField(
        label=_("How paid"),
        choices=LedgerEntry.PaidBy.choices,
        initial=LedgerEntry.PaidBy.CASH,
        widget=forms.RadioSelect,
    )
    receipt_number = forms.CharField(
        label=_("Receipt number"), max_length=40, required=False
    )
    campaign = forms.ModelChoiceField(
        label=_("For the campaign"),
        queryset=Campaign.objects.none(),
        required=False,
        empty_label=_("— the fund in general —"),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    receipt_photo = ImageUploadField(
        label=_("Receipt photo (optional)"), required=False
    )

    def __init__(self, *args, fund: Fund, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["donor_resident"].queryset = resident_choices(fund)
        self.fields["campaign"].queryset = fund.campaigns.open()

    def clean(self):
        """The amount alone is an anonymous gift, as the donor fields say: with no donor
        there is no name or room to show, whatever "Shown in public as" holds."""
        data = super().clean()
        if not data.get("donor_resident") and not data.get("donor_name"):
            data["public_name"] = PublicName.ANONYMOUS
        return data

    @classmethod
    def repeat_initial(cls, query) -> dict:
        """The starting values "Log another" carries over in the address (the date, how
        it was paid and the campaign of the gift just saved), each kept only if valid."""
        initial = {}
        try:
            initial["occurred_on"] = cls.base_fields["occurred_on"].clean(
                query.get("occurred_on", "")
            )
        except forms.ValidationError:
            pass
        if query.get("paid_by") in LedgerEntry.PaidBy.values:
            initial["paid_by"] = query["paid_by"]
        if query.get("campaign", "").isdecimal():
            initial["campaign"] = query["campaign"]
        return initial


class ExpenseForm(forms.Form):
    token = TokenField()
    amount = MoneyField()
    occurred_on = DateField(label=_("Date"), widget=DateInput(), initial=today)
    payee = forms.CharField(
        label=_("Paid to"),
        max_length=80,
        help_text=_("For example: 王师傅 (locksmith)."),
    )
    purpose = forms.CharField(label=_("What for"), max_length=200)
    usage_rule = forms.ModelChoiceField(
        label=_("Usage rule it falls under"), queryset=None, empty_label=None
    )
    approving_proposal = forms.ModelChoiceField(
        label=_("Approved by (adopted proposal)"),
        queryset=None,
        required=False,
        empty_label=_("— none, or cite it as text below —"),
    )
    approval_text = forms.CharField(
        label=_("Approved by (decision)"),
        max_length=200,
        required=False,
        help_text=_(
            "Needed above the approval amount, for example: 2026-11-20 council decision item 3."
        ),
    )
    paid_by = forms.ChoiceField(
        label=_("How paid"),
        choices=LedgerEntry.PaidBy.choices,
        initial=LedgerEntry.PaidBy.CASH,
        widget=forms.RadioSelect,
    )
    receipt_number = forms.CharField(
        label=_("Receipt number"), max_length=40, required=False
    )
    campaign = forms.ModelChoiceField(
        label=_("For the campaign"),
        queryset=Campaign.objects.none(),
        required=False,
        empty_label=_("— the fund in general —"),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    receipt_photo = ImageUploadField(
        label=_("Receipt photo"),
        help_text=_(
            "Only you see it until you have blurred names and phone numbers on it."
        ),
    )

    def __init__(self, *args, fund: Fund, ruleset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["usage_rule"].queryset = (
            ruleset.rules.filter(allowed=True) if ruleset else None
        )
        self.fields["campaign"].queryset = fund.campaigns.all()
        self.fields["approving_proposal"].queryset = (
            Proposal.objects.in_building(fund.building)
            .adopted()
            .order_by("-decided_at")
        )


class MatchingForm(forms.Form):
    token = TokenField()
    amount = MoneyField()
    occurred_on = DateField(label=_("Date"), widget=DateInput(), initial=today)
    paid_by = forms.ChoiceField(
        label=_("How paid"),
        choices=LedgerEntry.PaidBy.choices,
        initial=LedgerEntry.PaidBy.BANK,
        widget=forms.RadioSelect,
    )
    receipt_number = forms.CharField(
        label=_("Receipt number"), max_length=40, required=False
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ReversalForm(forms.Form):
    token = TokenField()
    reason = forms.CharField(
        label=_("Reason (shown to everyone)"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: typed 500 instead of 50."),
    )


class BlurForm(forms.Form):
    cells = forms.MultipleChoiceField(
        label=_("Areas to blur"),
        choices=[(cell, cell) for cell in grid_cells()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    rectangles = forms.CharField(
        label=_("More areas, in percent (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "10, 20, 40, 8"}),
        help_text=_(
            "One area per line: left, top, width, height, each 0–100 (percent of the photo)."
        ),
    )

    def clean_rectangles(self):
        regions = []
        text = unicodedata.normalize("NFKC", self.cleaned_data["rectangles"])
        for line in text.splitlines():
            if not line.strip():
                continue
            parts = [part for part in re.split(r"[,\s]+", line.strip()) if part]
            try:
                x, y, w, h = (float(part) for part in parts)
            except ValueError as exc:
                raise forms.ValidationError(
                    _("Write four numbers per line, for example: 10, 20, 40, 8.")
                ) from exc
            if not all(0 <= value <= 100 for value in (x, y, w, h)) or w <= 0 or h <= 0:
                raise forms.ValidationError(
                    _(
                        "Each number must be between 0 and 100, width and height above 0."
                    )
                )
            regions.append((x, y, min(w, 100 - x), min(h, 100 - y)))
        if len(regions) > 20:
            raise forms.ValidationError(_("At most 20 areas at a time."))
        return regions

    def regions(self) -> list:
        return [
            cell_region(cell) for cell in self.cleaned_data["cells"]
        ] + self.cleaned_data["rectangles"]


class ConfirmReceiptForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I checked the blurred photo: no names or phone numbers can be read."),
        required=True,
    )


class GoodsForm(forms.Form):
    token = TokenField()
    item = forms.CharField(
        label=_("Item"), max_length=80, help_text=_("For example: flower pots.")
    )
    quantity = QuantityField()
    unit = forms.CharField(
        label=_("Unit"), max_length=10, help_text=_("For example 盆, 袋, 把.")
    )
    received_on = DateField(label=_("Received on"), widget=DateInput(), initial=today)
    donor_resident = DonorChoiceField(
        label=_("Donor: a resident"),
        queryset=Resident.objects.none(),
        required=False,
        empty_label=_("— not a resident of the building —"),
    )
    donor_name = forms.CharField(
        label=_("…or an outside name"), max_length=60, required=False
    )
    public_name = forms.ChoiceField(
        label=_("Shown in public as"),
        choices=PublicName.choices,
        initial=PublicName.REAL_NAME,
        widget=forms.RadioSelect,
    )
    need = forms.ModelChoiceField(
        label=_("For the campaign need"),
        queryset=CampaignNeed.objects.none(),
        required=False,
        empty_label=_("— general stock —"),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, fund: Fund, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["donor_resident"].queryset = resident_choices(fund)
        # As for money: only the needs of a campaign still open.
        self.fields["need"].queryset = CampaignNeed.objects.filter(
            campaign__in=fund.campaigns.open(), kind=CampaignNeed.Kind.GOODS
        ).select_related("campaign")


class UseGoodsForm(forms.Form):
    quantity = QuantityField()
    used_for = forms.CharField(label=_("Used for"), max_length=200)
    occurred_on = DateField(label=_("Date"), widget=DateInput(), initial=today)


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("To"), widget=DateInput())

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                raise forms.ValidationError(
                    _("The start date must come before the end date.")
                )
            if (end - start).days > 366 * 10:
                raise forms.ValidationError(_("Choose a period of at most ten years."))
        return data
