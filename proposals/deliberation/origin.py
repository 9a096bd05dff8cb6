"""How a ballot, answer or signature reached us: shared by polls, consultations and conventions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Origin(models.TextChoices):
    """How a ballot, answer or signature reached us."""

    ONLINE = "online", _("Online")
    PAPER = "paper", _("Paper slip")
    DOOR_TO_DOOR = "door_to_door", _("Door-to-door visit (扫楼)")
    PROXY = "proxy", _("By proxy (代签)")
