"""Every main page, in normal and in large text (适老化): light (<= 60 KB transferred on a
first load, compressed as the app and WhiteNoise send it), accessible (no serious or
critical axe-core violation), no sideways scrolling at 390 px, body text at least 17 px
(everything at least 22 px in large text) and nothing to tap smaller than 44 x 44 px
(56 x 56 px in large text); charts' labels at least 12 px."""

import pytest

from tests.browser.conftest import PAGE_WEIGHT_LIMIT
from tests.browser.helpers import small_chart_labels, small_tap_targets, small_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large-text"])
def test_main_pages_are_light_accessible_readable_and_easy_to_tap(
    audit, main_pages, large
):
    problems, weights, charts = [], [], 0
    tap, text = (56, 22) if large else (44, 17)
    for path, login in main_pages:
        weight, serious, font_size, page = audit(path, login=login, large=large)
        weights.append(weight)
        if weight > PAGE_WEIGHT_LIMIT:
            problems.append(f"{path}: {weight} bytes transferred")
        if serious:
            problems.append(f"{path}: {serious}")
        if font_size < text:
            problems.append(f"{path}: body text {font_size}px")
        if page.evaluate("document.documentElement.scrollWidth") > 390:
            problems.append(f"{path}: wider than the phone")
        is_large = page.evaluate(
            "document.documentElement.classList.contains('large-text')"
        )
        if is_large != large:
            problems.append(f"{path}: large text {'off' if large else 'on'}")
        problems += [f"{path}: tap {t}" for t in small_tap_targets(page, tap)]
        problems += [f"{path}: chart {t}" for t in small_chart_labels(page)]
        charts += page.locator("svg text").count()
        if large:
            problems += [f"{path}: text {t}" for t in small_text(page, text)]
    assert problems == [], "\n".join(problems)
    # Bootstrap's stylesheet alone is over 20 KB compressed: a lighter first load means
    # the browser's byte counts were not read.
    assert min(weights) > 20 * 1024, weights
    assert charts > 0  # the fund's monthly chart was measured
