"""The fund categories a raised matter may name, supplied by the fund app.

proposals may not import funds (funds imports proposals); the fund app registers a
source here in its AppConfig.ready(). Without one, a raised matter names no category.
"""

from collections.abc import Callable

_SOURCES: list[Callable] = []


def register_category_source(source: Callable) -> None:
    """source(building) -> the names of the building's fund categories, in order."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def fund_categories(building) -> list[str]:
    names: list[str] = []
    for source in _SOURCES:
        names += [name for name in source(building) if name not in names]
    return names
