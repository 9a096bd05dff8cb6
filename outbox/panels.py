"""The building page says which channels the building's messages use."""

from django.urls import reverse
from django.utils.translation import gettext as _

from buildings.extensions import Note, Panel
from outbox.models import SmsBudget, WecomRobot


def building_panels(access) -> list[Panel]:
    building = access.building
    lines = [_("In-app inbox: always")]
    if SmsBudget.objects.filter(
        community_id=building.community_id, monthly_limit__gt=0
    ).exists():
        lines.append(_("SMS: for the kinds each person chooses"))
    else:
        lines.append(_("SMS: not offered in this community"))
    if WecomRobot.objects.filter(building=building, is_active=True).exists():
        lines.append(_("WeCom group robot: posts to the building group"))
    else:
        lines.append(_("WeCom group robot: not set up"))
    url = (
        reverse("outbox:wecom", args=[building.pk])
        if access.can_manage
        else reverse("outbox:sms-choices")
    )
    return [Panel(title=_("How messages reach you"), lines=lines, url=url)]


def notification_settings_links(user) -> list[Note]:
    return [
        Note(
            text=_("Which messages also come by SMS"),
            url=reverse("outbox:sms-choices"),
        )
    ]
