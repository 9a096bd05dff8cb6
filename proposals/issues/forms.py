from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from buildings.models import Resident
from buildings.rooms import natural
from core.uploads import ImageUploadField
from proposals.issues.models import Issue, IssuePhoto


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(ImageUploadField):
    """Up to four photos from one file input, each through the project's upload pipeline."""

    def __init__(self, *args, max_files=IssuePhoto.MAX_PER_KIND, **kwargs):
        self.max_files = max_files
        kwargs.setdefault(
            "widget",
            MultipleImageInput(
                attrs={"accept": "image/jpeg,image/png,image/webp", "multiple": True}
            ),
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        files = [f for f in files if f]
        if len(files) > self.max_files:
            raise ValidationError(
                _("At most %(max)d photos, please.") % {"max": self.max_files}
            )
        cleaned = []
        for uploaded in files:  # once each: the size check, then decoded and re-encoded
            cleaned.append(super().to_python(uploaded))
        return cleaned

    def to_python(self, data):  # clean() does the work for the whole list
        return data


class IssueForm(forms.ModelForm):
    photos = PhotosField(
        label=_("Photos (up to 4)"),
        help_text=_(
            "A photo helps the team see the problem. Location data is removed."
        ),
    )
    anonymous = forms.BooleanField(
        label=_("Report anonymously"),
        required=False,
        help_text=_(
            "Neighbours, the building leader and the team will not see that it was "
            "you. Only branch staff responsible for your building who hold a special "
            "permission can see it, and every look is recorded."
        ),
    )

    class Meta:
        model = Issue
        fields = ["category", "title", "text", "location", "floor"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 4}),
            "floor": forms.NumberInput(
                attrs={"inputmode": "numeric", "min": -5, "max": 200}
            ),
        }
        help_texts = {"floor": _("Only for a corridor: which floor?")}

    def __init__(self, *args, on_behalf_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].required = False
        self.fields["text"].label = _("What is wrong (optional)")
        if on_behalf_choices is not None:
            self.fields["on_behalf_of"] = forms.ModelChoiceField(
                queryset=on_behalf_choices,
                required=False,
                label=_("Reporting for a resident who told you in person"),
                empty_label=_("— I report it myself —"),
            )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("location") == Issue.Location.CORRIDOR
            and cleaned.get("floor") is None
        ):
            self.add_error("floor", _("Which floor is the corridor on?"))
        return cleaned


class IssueEditForm(forms.ModelForm):
    class Meta:
        model = Issue
        fields = ["category", "title", "text", "location", "floor"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].required = False


class StatusForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), choices=Issue.Status)
    reason = forms.CharField(
        label=_("Reason / what happens next"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Required to decline or to move an issue back. Residents will read it."
        ),
    )
    after_photos = PhotosField(label=_("“After” photos (when resolved)"))

    def __init__(self, *args, targets=None, **kwargs):
        super().__init__(*args, **kwargs)
        if targets is not None:
            labels = dict(Issue.Status.choices)
            self.fields["to_status"].choices = [
                (value, labels[value]) for value in targets
            ]


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput)


class FeedbackForm(forms.Form):
    fixed = forms.TypedChoiceField(
        label=_("Is it fixed?"),
        choices=[("yes", _("Yes, fixed")), ("no", _("No, not fixed"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("What is still wrong?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class IssueFilterForm(forms.Form):
    STATUS_CHOICES = [
        ("open", _("Open")),
        ("overdue", _("Waiting for a response")),
        *Issue.Status.choices,
        ("all", _("All")),
    ]
    SORT_CHOICES = [("new", _("Newest first")), ("support", _("Most “me too” first"))]

    status = forms.ChoiceField(
        label=_("Status"), choices=STATUS_CHOICES, required=False
    )
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("", _("All categories")), *Issue.Category.choices],
        required=False,
    )
    sort = forms.ChoiceField(label=_("Order"), choices=SORT_CHOICES, required=False)
    mine = forms.BooleanField(label=_("Only mine and those I follow"), required=False)


def residents_for_proxy(building):
    """Residents a leader may report for: approved adults of the building."""
    return (
        Resident.objects.approved()
        .in_building(building)
        .select_related("household")
        .order_by(*natural("household__room"))
    )


class RecategoriseForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Issue.Category)
    reason = forms.CharField(
        label=_("Why (optional)"),
        required=False,
        max_length=300,
        widget=forms.TextInput,
    )


class MergeForm(forms.Form):
    into = forms.TypedChoiceField(label=_("The report it repeats"), coerce=int)
    reason = forms.CharField(
        label=_("Why"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Residents see this on both reports."),
    )

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].choices = [
            (issue.pk, f"#{issue.pk} {issue.title}") for issue in targets
        ]
