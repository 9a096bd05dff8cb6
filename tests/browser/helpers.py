"""What the browser journeys share: logging in through the form, and the phone's width."""

PASSWORD = "pass-word-123"  # tests.factories.UserFactory's


def log_in(page, phone, password=PASSWORD):
    """Log in through the password log-in form and wait for the page it leads to."""
    page.goto("/accounts/login/password/")
    page.fill("input[name=username]", phone)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")


def fits_the_phone(page) -> bool:
    """Nothing is wider than the 390 px screen (no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth") <= 390
