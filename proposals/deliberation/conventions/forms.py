"""Convention forms: a paper signature."""

from django import forms
from django.utils.translation import gettext_lazy as _


class PaperSignatureForm(forms.Form):
    room = forms.CharField(label=_("Room"), max_length=20)
    signer_name = forms.CharField(label=_("Name on the paper"), max_length=40)
