from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Submission(models.Model):
    """A form that was sent, so the same form sent again is answered as the first time
    and changes nothing (core/submissions.py). Forgotten after a day."""

    key = models.CharField(_("key"), max_length=64, primary_key=True)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now, db_index=True)
    # Filled in when the first answer was a redirect: where it went and what it said.
    location = models.TextField(_("answered with"), blank=True)
    messages = models.JSONField(_("messages"), default=list, blank=True)

    class Meta:
        verbose_name = _("form sent")
        verbose_name_plural = _("forms sent")

    def __str__(self):
        return self.key[:12]
