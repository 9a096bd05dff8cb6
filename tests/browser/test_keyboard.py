"""Everything reachable by keyboard alone, at phone size.

On every main page, pressing Tab walks through every visible, enabled control, shows where the
focus is, and comes back round to the start; the main interactions (the account menu, "me too",
voting) work without a mouse.
"""

import pytest

from proposals.models import Ballot, IssueSupport
from tests.browser.helpers import log_in
from tests.factories import AccountResidentFactory, BuildingFactory
from tests.proposals.deliberation.factories import PollFactory
from tests.proposals.factories import IssueFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_TABS = 300

# Tags every visible, enabled interactive element with data-kb="<n>" and describes it.
# Radio buttons form one tab stop per group (arrow keys move inside it), so they share a key.
INTERACTIVE = """() => {
  const natives = 'a[href], button, input:not([type=hidden]), select, textarea, summary';
  const found = [];
  document.querySelectorAll(natives + ', [tabindex]').forEach((el) => {
    if (!el.matches(natives) && el.tabIndex < 0) return;
    if (el.matches(':disabled')) return;
    if (el.tagName === 'SUMMARY' && el.parentElement.querySelector(':scope > summary') !== el) return;
    if (el.getClientRects().length === 0 || !el.checkVisibility({visibilityProperty: true})) return;
    const n = String(found.length);
    el.dataset.kb = n;
    const key = el.type === 'radio' ? 'radio:' + (el.form ? [...document.forms].indexOf(el.form) : '') + ':' + el.name : n;
    found.push({key, what: window.__describe(el)});
  });
  return found;
}"""

DESCRIBE = """() => { window.__describe = (el) => {
  let text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().replace(/\\s+/g, ' ');
  const label = el.id && document.querySelector('label[for="' + el.id + '"]');
  if (!text && label) text = label.innerText.trim();
  return '<' + el.tagName.toLowerCase()
    + (el.id ? ' id=' + el.id : '')
    + (el.name ? ' name=' + el.name : '')
    + (el.getAttribute('href') ? ' href=' + el.getAttribute('href') : '')
    + '> "' + text.slice(0, 40) + '"';
}; }"""

# Where the focus is now, whether it can be seen there, and whether something covers it.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  // A part drawn by the browser inside the control has the focus (a date field's calendar
  // button): the browser draws its ring, which the page's styles cannot reach.
  const builtIn = !el.matches(':focus');
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow !== 'none'
    && /[1-9]/.test(style.boxShadow.replace(/rgba?\\([^)]*\\)/g, ''));
  const box = el.getBoundingClientRect();
  const x = Math.min(Math.max(box.left + box.width / 2, 0), innerWidth - 1);
  const y = Math.min(Math.max(box.top + box.height / 2, 0), innerHeight - 1);
  const hit = document.elementFromPoint(x, y);
  const covered = hit && !el.contains(hit) && !hit.contains(el)
    && !(hit.tagName === 'LABEL' && hit.control === el);
  return {
    kb: el.dataset.kb || null,
    what: window.__describe(el),
    indicator: builtIn || outline || shadow,
    covered: covered ? window.__describe(hit) : null,
  };
}"""


def tab_walk(page):
    """Press Tab from the top of the page until the focus comes back to where it started.

    Returns (interactive elements, the focus stops in order, whether it came back round).
    """
    page.evaluate(DESCRIBE)
    elements = page.evaluate(INTERACTIVE)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    stops = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUSED)
        if focus is None:  # after the last control, focus leaves the page once
            continue
        if (
            stops
            and focus["what"] == stops[0]["what"]
            and focus["kb"] == stops[0]["kb"]
        ):
            return elements, stops, True
        stops.append(focus)
    return elements, stops, False


def keyboard_problems(page, path):
    elements, stops, came_back = tab_walk(page)
    problems = []
    if not came_back:
        last = [stop["what"] for stop in stops[-3:]]
        problems.append(
            f"{path}: focus did not come back to the start in {MAX_TABS} presses of Tab; "
            f"last stops: {last}"
        )
    reached = {stop["kb"] for stop in stops}
    reached_keys = {elements[int(kb)]["key"] for kb in reached if kb is not None}
    for element in elements:
        if element["key"] not in reached_keys:
            problems.append(f"{path}: never reached by Tab: {element['what']}")
    for what in dict.fromkeys(s["what"] for s in stops if not s["indicator"]):
        problems.append(f"{path}: no visible focus indicator on {what}")
    for stop in stops:
        if stop["covered"]:
            problems.append(
                f"{path}: focused {stop['what']} is covered by {stop['covered']}"
            )
    return problems, len(elements), len(stops)


def test_every_control_on_every_main_page_is_reachable_by_tab(new_phone, main_pages):
    phones = {}
    problems = []
    for path, login in main_pages:
        if login not in phones:
            phones[login] = new_phone()
            # No fade-in of focus rings: their final style is read at once.
            phones[login].emulate_media(reduced_motion="reduce")
            if login is not None:
                log_in(phones[login], login)
        page = phones[login]
        page.goto(path)
        found, count, _stops = keyboard_problems(page, path)
        assert count > 3, f"{path}: only {count} controls found; is the page right?"
        problems += found
    assert problems == [], "\n".join(problems)


def test_the_tab_walk_reports_skipped_controls_hidden_focus_and_traps(new_phone):
    """The checks above can fail: a control taken out of the tab order, a focus ring removed,
    and a control that swallows Tab are each reported, by name."""
    page = new_phone()
    page.emulate_media(reduced_motion="reduce")
    page.set_content(
        "<style>#quiet:focus { outline: none; }</style>"
        "<a href='/one'>one</a> <button id=skipped tabindex=-1>skipped</button>"
        "<a id=quiet href='/two'>two</a> <button>three</button>"
    )
    problems, count, _stops = keyboard_problems(page, "sample")
    assert count == 4
    assert problems == [
        'sample: never reached by Tab: <button id=skipped> "skipped"',
        'sample: no visible focus indicator on <a id=quiet href=/two> "two"',
    ]

    page.set_content(
        "<a href='/one'>one</a> <input id=trap name=trap> <a href='/two'>two</a>"
        "<script>trap.addEventListener('keydown', e => {"
        " if (e.key === 'Tab') e.preventDefault(); });</script>"
    )
    problems, _count, _stops = keyboard_problems(page, "trap")
    assert problems[0].startswith(
        f"trap: focus did not come back to the start in {MAX_TABS} presses of Tab"
    )
    assert 'trap: never reached by Tab: <a href=/two> "two"' in problems


def tab_to(page, selector, limit=80):
    """Press Tab until the focused element matches selector; fail if it never does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} was not reached in {limit} presses of Tab")


def focused(page, selector):
    return page.evaluate("(s) => document.activeElement.matches(s)", selector)


def test_menu_me_too_and_voting_by_keyboard_alone(new_phone):
    building = BuildingFactory(number="8号楼", is_pilot=True)
    resident = AccountResidentFactory(household__building=building, name="张阿姨")
    AccountResidentFactory(household__building=building)
    leader = AccountResidentFactory(household__building=building, role="leader")
    issue = IssueFactory(building=building, title="大堂铁门关不上")
    poll = PollFactory(
        proposal__building=building,
        proposal__author=leader.user,
        proposal__title="楼道装感应灯吗?",
    )
    first, second, _third = poll.options.order_by("position")

    page = new_phone()
    log_in(page, resident.user.phone)

    # The account menu opens with Enter and closes and opens again with Space ...
    page.goto(building.get_absolute_url())
    menu = page.locator("details.account-menu")
    tab_to(page, "details.account-menu > summary")
    page.keyboard.press("Enter")
    assert menu.evaluate("(d) => d.open")
    page.keyboard.press("Space")
    assert not menu.evaluate("(d) => d.open")
    page.keyboard.press("Space")
    assert menu.evaluate("(d) => d.open")
    # ... and Tab goes on into it: my page, log out, the text size, then the language.
    page.keyboard.press("Tab")
    assert focused(page, ".account-menu-panel a[href='/me/']")
    page.keyboard.press("Tab")
    assert focused(page, ".account-menu-panel form[action*='logout'] button")
    page.keyboard.press("Tab")
    assert focused(page, ".account-menu-panel .text-size-switch button[value=normal]")
    page.keyboard.press("Tab")
    assert focused(page, ".account-menu-panel .text-size-switch button[value=large]")
    page.keyboard.press("Tab")
    assert focused(page, ".lang-switch button[value=zh-hans]")
    page.keyboard.press("Tab")
    assert focused(page, ".lang-switch button[value=en]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("details.account-menu > summary").inner_text() == "Me"

    # "Me too" on a neighbour's issue: Tab to the button, Enter.
    page.goto(issue.get_absolute_url())
    tab_to(page, "form[action$='/support/'] button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert IssueSupport.objects.filter(issue=issue, resident=resident).exists()
    assert "1 neighbour has this too" in page.locator("main").inner_text()
    assert page.locator("form[action$='/unsupport/'] button").is_visible()

    # Voting: Tab into the options, Space picks the first, the arrow moves to the second,
    # Enter sends the form.
    page.goto(poll.get_absolute_url())
    tab_to(page, "form.vote-form input[name=option]")
    assert focused(page, f"#option-{first.pk}")
    page.keyboard.press("Space")
    assert page.is_checked(f"#option-{first.pk}")
    page.keyboard.press("ArrowDown")
    assert focused(page, f"#option-{second.pk}") and page.is_checked(
        f"#option-{second.pk}"
    )
    with page.expect_navigation():
        page.keyboard.press("Enter")
    ballot = Ballot.objects.get(poll=poll)
    assert ballot.option == second and ballot.household == resident.household
    households = building.households.count()  # the issue's reporter lives here too
    assert f"1 / {households} households" in page.locator("main").inner_text()
    assert "Your household has voted (张阿姨)" in page.locator("main").inner_text()

    # Log out from the menu, still without the mouse.
    tab_to(page, "details.account-menu > summary")
    page.keyboard.press("Enter")
    tab_to(page, ".account-menu-panel form[action*='logout'] button", limit=3)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("details.account-menu > summary").inner_text() == "Menu"
    page.goto("/me/")
    assert "/accounts/login/" in page.url
