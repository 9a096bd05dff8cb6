import re
import unicodedata

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm
from django.utils.translation import gettext_lazy as _

from buildings.models import Announcement, Building, Resident, Skill, User
from buildings.phones import (
    MOBILE_RE,
    ascii_digits,
    normalize_phone,
    validate_mobile,
)
from core.uploads import ImageUploadField


class PhoneField(forms.CharField):
    """A mobile number field that tolerates spaces, dashes, +86 and full-width digits."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Mobile phone"))
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})

    def to_python(self, value):
        return normalize_phone(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        if value:
            validate_mobile(value)


class RoomField(forms.CharField):
    """A room number, with any script's digits read as 0-9 (３０２ is room 302)."""

    def to_python(self, value):
        return ascii_digits(super().to_python(value))


class CodeField(forms.CharField):
    """The 6-digit code from a text message (spaces and full-width digits tolerated)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Code from the text message"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "one-time-code"}
        )

    def to_python(self, value):
        text = ascii_digits(unicodedata.normalize("NFKC", super().to_python(value)))
        return re.sub(r"[\s\-]", "", text)

    def validate(self, value):
        super().validate(value)
        if value and not re.fullmatch(r"[0-9]{6}", value):
            raise forms.ValidationError(_("The code has 6 digits."), code="bad_code")


class RegisterForm(BaseUserCreationForm):
    phone = PhoneField()
    code = CodeField(
        required=True,
        help_text=_("Press “Send me a code” first; the code comes by text message."),
        error_messages={"required": _("Enter the 6-digit code from the text message.")},
    )

    class Meta:
        model = User
        fields = ["phone", "code", "name"]
        labels = {"name": _("Your real name")}

    def validate_unique(self):
        """Skipped: whether a number is registered shows only after its code is used."""


class LoginForm(AuthenticationForm):
    username = PhoneField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # AuthenticationForm cuts the box to the stored number's 11 characters, which
        # made "138 0000 0003" arrive as "138 0000 00"; spellings need room.
        self.fields["username"].max_length = PhoneField().max_length
        self.fields["username"].widget.attrs["maxlength"] = PhoneField().max_length

    error_messages = {
        "invalid_login": _(
            "The phone number or password is not right. Please try again."
        ),
        "inactive": _("This account is switched off. Ask your building leader."),
    }


class JoinForm(forms.Form):
    building = forms.ModelChoiceField(
        queryset=Building.objects.none(),
        label=_("Building"),
        empty_label=_("Choose your building"),
        error_messages={"required": _("Choose your building.")},
    )
    room = RoomField(
        label=_("Room"),
        max_length=20,
        help_text=_("The number on your door, for example 302."),
    )
    name = forms.CharField(label=_("Your real name"), max_length=40)
    is_adult = forms.BooleanField(
        label=_("I am an adult (18 or older)"), required=False, initial=True
    )

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = community.buildings.in_natural_order()


class ProxyResidentForm(forms.Form):
    room = RoomField(label=_("Room"), max_length=20)
    name = forms.CharField(label=_("Real name"), max_length=40)
    contact_phone = forms.CharField(
        label=_("Contact phone (landline or a family member's)"),
        max_length=20,
        required=False,
    )
    is_adult = forms.BooleanField(label=_("Adult"), required=False, initial=True)

    def clean_contact_phone(self):
        """A mobile number in any spelling is kept in its one form; a landline as typed."""
        value = self.cleaned_data["contact_phone"].strip()
        number = normalize_phone(value)
        return number if MOBILE_RE.match(number) else value


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("The person will see this, so say what to do next."),
    )


MAX_SKILLS = 10
SKILL_LENGTH = Skill._meta.get_field("name").max_length


class TalentForm(forms.Form):
    skills = forms.CharField(
        label=_("My skills"),
        max_length=200,
        required=False,
        help_text=_(
            "Separate with commas, for example: haircuts, flower growing, computer help."
        ),
    )
    offer = forms.CharField(
        label=_("What I offer neighbours"), max_length=200, required=False
    )
    talent_visibility = forms.ChoiceField(
        label=_("Who may see my skills"), choices=Resident.Visibility
    )

    def clean_skills(self):
        raw = self.cleaned_data["skills"].replace("，", ",").replace("、", ",")
        skills = [item.strip() for item in raw.split(",") if item.strip()]
        if len(skills) > MAX_SKILLS:
            raise forms.ValidationError(
                _("At most %(max)d skills, please.") % {"max": MAX_SKILLS}
            )
        for skill in skills:
            if len(skill) > SKILL_LENGTH:
                raise forms.ValidationError(
                    _("“%(skill)s…” is too long: at most %(max)d characters a skill.")
                    % {"skill": skill[:10], "max": SKILL_LENGTH}
                )
        return ",".join(skills)

    def skill_list(self) -> list[str]:
        skills = self.cleaned_data.get("skills", "")
        return skills.split(",") if skills else []


class ProfileForm(forms.ModelForm):
    avatar = ImageUploadField(label=_("Avatar"), required=False)

    class Meta:
        model = User
        fields = ["name", "avatar"]


class AnnouncementForm(forms.ModelForm):
    class Meta:
        model = Announcement
        fields = ["title", "body", "pinned"]
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}


class ReasonForm(forms.Form):
    """Why an item is changed or cancelled: shown to residents on the item's page."""

    reason = forms.CharField(
        label=_("Why"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Residents see this reason on the page and in their message."),
    )

    def clean_reason(self):
        from buildings.changes import clean_reason

        return clean_reason(self.cleaned_data["reason"])


class BuildingForm(forms.ModelForm):
    cover = ImageUploadField(label=_("Cover photo"), required=False)

    class Meta:
        model = Building
        fields = ["description", "cover"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class NotificationChoicesForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("Tell me about"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        from buildings.notify import KINDS

        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = list(KINDS.items())


class LeaveForm(forms.Form):
    password = forms.CharField(
        label=_("Your password, to confirm"), widget=forms.PasswordInput
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not right."))
        return password


class HouseholdsForm(forms.Form):
    rooms = forms.CharField(
        label=_("Rooms to add"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Room numbers or ranges, for example: 101-106, 201-206, 301."),
    )


class PublicDisplayForm(forms.Form):
    public_display = forms.ChoiceField(
        label=_("How I appear on public lists (for example my donations)"),
        choices=[
            ("", _("No preference: the leader asks me")),
            *Resident.PublicDisplay.choices,
        ],
        required=False,
        widget=forms.RadioSelect,
    )


class CodeLoginForm(forms.Form):
    """Log in with the phone number and a code sent to it."""

    phone = PhoneField()
    code = CodeField()


class PasswordResetByCodeForm(forms.Form):
    """A new password, proven by a code sent to the phone (or given by a leader)."""

    phone = PhoneField()
    code = CodeField(
        help_text=_("From the text message, or the slip your building leader gave you.")
    )
    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "new_password1"
        ].help_text = password_validation.password_validators_help_text_html()

    def clean(self):
        data = super().clean()
        first, second = data.get("new_password1"), data.get("new_password2")
        if data.get("code"):
            if not first:
                self.add_error("new_password1", _("Choose a new password."))
            elif first != second:
                self.add_error(
                    "new_password2", _("The two passwords are not the same.")
                )
            else:
                user = User.objects.filter(phone=data.get("phone")).first()
                try:
                    password_validation.validate_password(first, user)
                except forms.ValidationError as error:
                    self.add_error("new_password1", error)
        return data


class PartyBadgeForm(forms.Form):
    """A party member's own switch: show the badge on the building page, or not."""

    shows_party_badge = forms.BooleanField(
        label=_("Show my party member badge (党员亮身份)"), required=False
    )


class AppointForm(forms.Form):
    resident = forms.TypedChoiceField(label=_("Resident"), coerce=int, choices=())

    def __init__(self, *args, residents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].choices = [
            (r.pk, f"{r.household.room} · {r.name}") for r in residents
        ]


class RemoveFromTeamForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional, they will see it)"), max_length=200, required=False
    )


class ProposeTalentForm(forms.Form):
    resident = forms.TypedChoiceField(label=_("Resident"), coerce=int, choices=())
    skill = forms.CharField(
        label=_("Skill"),
        max_length=SKILL_LENGTH,
        help_text=_("For example: haircuts, flower growing, computer help."),
    )
    offer = forms.CharField(
        label=_("What they could offer neighbours"), max_length=200, required=False
    )

    def __init__(self, *args, residents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].choices = [
            (r.pk, f"{r.household.room} · {r.name}") for r in residents
        ]

    def clean_skill(self):
        skill = " ".join(self.cleaned_data["skill"].split())
        if not skill:
            raise forms.ValidationError(_("Name the skill, for example: haircuts."))
        return skill
