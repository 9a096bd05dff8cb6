"""What one-foot gardens add to the building page."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from buildings.extensions import Panel
from gardens.models import Adoption
from gardens.seasons import current_season, season_label


def building_panels(access) -> list[Panel]:
    season = current_season()
    figures = access.building.garden_spaces.aggregate(
        spaces=Count("pk", distinct=True),
        adopted=Count(
            "adoptions",
            filter=Q(
                adoptions__season=season,
                adoptions__status=Adoption.Status.ACTIVE,
            ),
            distinct=True,
        ),
    )
    if not figures["spaces"]:
        lines = [_("No spaces listed yet.")]
    else:
        lines = [
            _("%(season)s: %(adopted)d of %(spaces)d spaces adopted")
            % {"season": season_label(season), **figures}
        ]
    return [
        Panel(
            title=_("One-foot gardens"),
            lines=lines,
            url=reverse("gardens:index", args=[access.building.pk]),
        )
    ]
