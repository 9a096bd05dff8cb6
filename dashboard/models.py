from django.db import models
from django.utils.translation import gettext_lazy as _

from buildings.models import Community


class Figures(models.Model):
    """A community's dashboard figures, computed ahead by the task worker (see
    dashboard/figures.py), so that no page view waits for them."""

    community = models.OneToOneField(
        Community,
        on_delete=models.CASCADE,
        related_name="dashboard_figures",
        verbose_name=_("community"),
    )
    rows = models.JSONField(_("figures per building"))
    computed_at = models.DateTimeField(_("computed at"))
    refresh_requested_at = models.DateTimeField(
        _("refresh requested at"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("dashboard figures")
        verbose_name_plural = _("dashboard figures")

    def __str__(self):
        return f"{self.community} ({self.computed_at:%Y-%m-%d %H:%M})"
