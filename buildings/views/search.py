"""The building's search page: one box for issues, proposals, talents and the ledger.

Each feature app answers for its own rows through `<app>/search.py` (found by name,
buildings.extensions); the root answers for talents. Every provider starts from what
the person may see of this building only and asks core.search.matching() for the rows
that match, a few per kind: the page costs the same few queries however large the
building or the district.
"""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from buildings import extensions
from buildings.extensions import SearchGroup, SearchHit
from buildings.models import Talent
from buildings.permissions import VIEW, Access, get_access_or_404
from core.search import clean_query, matching

PER_KIND = 8
ORDER = ["issue", "proposal", "talent", "ledger"]


def talents(access: Access, query: str) -> list[SearchGroup]:
    """Talents as the building page shows them (each resident's own choice of audience)."""
    rows = list(
        matching(
            Talent.objects.visible_in_building(
                access.building, include_staff_only=access.is_staff
            ),
            ["skill__name", "offer", "resident__name"],
            query,
            order=("skill__name", "pk"),
        )[: PER_KIND + 1]
    )
    url = reverse("buildings:detail", args=[access.building.pk]) + "#talents"
    return [
        SearchGroup(
            kind="talent",
            label=_("Talents"),
            hits=[
                SearchHit(
                    title=f"{talent.skill.name} · {talent.resident.name}",
                    url=url,
                    snippet=talent.offer,
                )
                for talent in rows[:PER_KIND]
            ],
            more=len(rows) > PER_KIND,
            more_url=url,
        )
    ]


def search(request, pk):
    access = get_access_or_404(request.user, pk, VIEW)
    query = clean_query(request.GET.get("q", ""))
    groups = []
    if query:
        groups.extend(talents(access, query))
        for _app, module in extensions.feature_modules("search"):
            groups.extend(module.search(access, query))
        groups.sort(
            key=lambda g: ORDER.index(g.kind) if g.kind in ORDER else len(ORDER)
        )
    return render(
        request,
        "buildings/search.html",
        {
            "building": access.building,
            "query": query,
            "groups": groups,
            "found": sum(len(group.hits) for group in groups),
        },
    )
