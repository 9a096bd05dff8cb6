from django import forms
from django.utils.translation import gettext_lazy as _

from outbox.models import WecomRobot, validate_wecom_webhook


class WecomRobotForm(forms.ModelForm):
    webhook_url = forms.CharField(
        label=_("Robot address (webhook)"),
        max_length=300,
        required=False,
        validators=[validate_wecom_webhook],
        help_text=_(
            "In the WeCom group: ··· → Group robots → Add → copy the webhook address. "
            "Leave empty to remove the robot."
        ),
        widget=forms.URLInput(attrs={"inputmode": "url", "autocomplete": "off"}),
    )

    class Meta:
        model = WecomRobot
        fields = ["webhook_url", "is_active"]

    def clean_webhook_url(self):
        return self.cleaned_data["webhook_url"].strip()


class SmsChoicesForm(forms.Form):
    """Per kind: inbox only, or inbox + SMS."""

    INBOX, SMS = "inbox", "sms"

    def __init__(self, *args, kinds, chosen, muted=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(self.INBOX, _("Inbox only")), (self.SMS, _("Inbox + SMS"))]
        for kind, label in kinds:
            self.fields[kind] = forms.ChoiceField(
                label=label,
                choices=choices,
                widget=forms.RadioSelect,
                initial=self.SMS if kind in chosen else self.INBOX,
                help_text=_(
                    "You switched these messages off, so they come neither to the "
                    "inbox nor by SMS."
                )
                if kind in muted
                else "",
            )

    def wanted(self) -> set[str]:
        return {kind for kind, value in self.cleaned_data.items() if value == self.SMS}
