"""What the browser journeys share: logging in through the form, the phone's width, the
large-text mode and the size of what a finger taps."""

PASSWORD = "pass-word-123"  # tests.factories.UserFactory's


def log_in(page, phone, password=PASSWORD):
    """Log in through the password log-in form and wait for the page it leads to."""
    page.goto("/accounts/login/password/")
    page.fill("input[name=username]", phone)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")


def html(page) -> str:
    """The page's HTML once it has loaded. A click that submits a form or follows a link
    returns when the new page starts to arrive; reading it before it has loaded can give
    an empty document."""
    page.wait_for_load_state()
    return page.content()


def fits_the_phone(page) -> bool:
    """Nothing is wider than the 390 px screen (no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def large_text_cookie(url: str) -> dict:
    """The cookie the large-text switch sets for a visitor (buildings.textsize)."""
    return {"name": "louzu_text", "value": "large", "url": url}


# Every link, button, summary, select and checkbox or radio (with its label: the row is
# what a finger taps) that can be seen, smaller than `min` px either way. A link inside a
# sentence is part of the text (WCAG 2.5.8's inline exception), as are hidden skip links.
TAP_TARGETS = """(min) => {
  const found = [];
  const selector = 'a[href], button, summary, select, input[type=checkbox], input[type=radio]';
  for (const element of document.querySelectorAll(selector)) {
    if (element.closest('.visually-hidden-focusable, .visually-hidden')) continue;
    let target = element;
    if (element.matches('input[type=checkbox], input[type=radio]')) {
      target = element.closest('.form-check') || (element.labels && element.labels[0]) || element;
    }
    const box = target.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;  // in a closed menu
    if (getComputedStyle(target).visibility === 'hidden') continue;
    if (element.tagName === 'A' && getComputedStyle(element).display === 'inline') {
      const block = element.parentElement;
      if (block.textContent.trim().length > element.textContent.trim().length) continue;
    }
    if (box.width < min - 0.5 || box.height < min - 0.5) {
      const text = (target.textContent || target.getAttribute('aria-label') || '').trim();
      found.push(`${element.tagName.toLowerCase()} "${text.slice(0, 30)}" ${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  return found;
}"""

# Text smaller than `min` px: any element that holds text of its own, outside charts
# (their labels are checked apart) and text hidden for screen readers.
SMALL_TEXT = """(min) => {
  const found = [];
  for (const element of document.body.querySelectorAll('*')) {
    if (element.closest('svg, .visually-hidden, .visually-hidden-focusable, script, style')) continue;
    const own = [...element.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    const size = parseFloat(getComputedStyle(element).fontSize);
    if (size < min - 0.01) found.push(`${element.tagName.toLowerCase()} "${element.textContent.trim().slice(0, 30)}" ${size}px`);
  }
  return found;
}"""


def small_tap_targets(page, minimum: int) -> list[str]:
    return page.evaluate(TAP_TARGETS, minimum)


def small_text(page, minimum: float) -> list[str]:
    return page.evaluate(SMALL_TEXT, minimum)


# Letters of the charts' labels (SVG <text>) as drawn on the screen, in px: the SVG's
# font size times how much the picture is scaled to fit the phone.
CHART_LABELS = """() => [...document.querySelectorAll('svg text')].map((label) => {
  const svg = label.ownerSVGElement;
  const scale = svg.getBoundingClientRect().width / (svg.viewBox.baseVal.width || svg.getBoundingClientRect().width);
  return [label.textContent.trim(), parseFloat(getComputedStyle(label).fontSize) * scale];
})"""


def small_chart_labels(page, minimum: float = 12) -> list[str]:
    return [
        f'"{text}" {size:.1f}px'
        for text, size in page.evaluate(CHART_LABELS)
        if size < minimum - 0.05  # drawn at 12 px, give or take rounding
    ]
