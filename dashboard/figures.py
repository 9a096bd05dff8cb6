"""The dashboard's figures, computed ahead by the task worker and read by the page.

Computing a community's figures takes some 60 ms of queries (dashboard.metrics). The
worker's schedule does it for every community every 5 minutes (`manage.py
compute_dashboards`), and "Refresh now" queues it for one community; a page view only
reads the stored rows (one query, plus the buildings). Only a community never computed
before (a new one, before the worker's first run) is computed during the request, once.
"""

from dataclasses import fields
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from buildings.models import Building, Community
from core import pagecache
from dashboard import metrics
from dashboard.metrics import BuildingRow, community_rows
from dashboard.models import Figures

# Two "Refresh now" taps within this time queue one computation.
REFRESH_GAP = timedelta(minutes=1)
DECIMALS = {f.name for f in fields(BuildingRow) if f.type in (Decimal, "Decimal")}


def _dump(row: BuildingRow) -> dict:
    data = {}
    for f in fields(BuildingRow):
        value = getattr(row, f.name)
        if f.name == "building":
            value = row.building.pk
        elif isinstance(value, Decimal):
            value = str(value)
        data[f.name] = value
    return data


def _load(data: dict, building: Building) -> BuildingRow:
    values = {
        key: Decimal(value) if key in DECIMALS else value
        for key, value in data.items()
        if key != "building"
    }
    return BuildingRow(building=building, **values)


def compute(community: Community, now: datetime | None = None) -> Figures:
    """Compute a community's figures now and keep them."""
    now = now or timezone.now()
    rows = [_dump(row) for row in community_rows(community, now=now)]
    figures, _created = Figures.objects.update_or_create(
        community=community,
        defaults={"rows": rows, "computed_at": now, "refresh_requested_at": None},
    )
    pagecache.touch_community(community.pk)
    return figures


def compute_all(now: datetime | None = None) -> int:
    """Every community's figures (the worker's periodic job)."""
    count = 0
    for community in Community.objects.order_by("pk"):
        compute(community, now=now)
        count += 1
    return count


def read(community: Community) -> tuple[list[BuildingRow], Figures]:
    """The stored figures (computed here only if the community has none yet)."""
    figures = Figures.objects.filter(community=community).first()
    if figures is None:
        figures = compute(community)
    buildings = Building.objects.filter(community=community).in_bulk()
    rows = [
        _load(data, buildings[data["building"]])
        for data in figures.rows
        if data["building"] in buildings
    ]
    return rows, figures


def read_town(communities) -> tuple[list[metrics.CommunityRow], datetime | None]:
    """The town page's rows, one per community, summed from the stored building figures
    (communities without figures yet are computed here once); and the oldest time."""
    communities = list(communities)
    stored = {
        f.community_id: f for f in Figures.objects.filter(community__in=communities)
    }
    for community in communities:
        if community.pk not in stored:
            stored[community.pk] = compute(community)
    buildings = Building.objects.filter(community__in=communities).in_bulk()
    rows = [
        _load(data, buildings[data["building"]])
        for figures in stored.values()
        for data in figures.rows
        if data["building"] in buildings
    ]
    oldest = min((f.computed_at for f in stored.values()), default=None)
    return metrics.summarise(communities, rows), oldest


def request_refresh(community: Community, now: datetime | None = None) -> bool:
    """Queue a fresh computation for the worker; False if one was asked for just now."""
    from dashboard.tasks import compute_figures

    now = now or timezone.now()
    with transaction.atomic():
        asked = (
            Figures.objects.filter(community=community)
            .exclude(refresh_requested_at__gt=now - REFRESH_GAP)
            .update(refresh_requested_at=now)
        )
        if asked:
            transaction.on_commit(lambda: compute_figures.enqueue(community.pk))
    pagecache.touch_community(community.pk)
    return bool(asked)
