"""Large-text mode (适老化): one switch that makes every page's letters at least 22 px and
every tap target at least 56 px (the `large-text` class on <html>, static/css/louzu.css).

A logged-in person's choice is kept on their account (User.large_text), so it follows
them to any phone; a visitor's in a cookie. Choosing large text before logging in
keeps it on the account at log-in: making text larger never hurts. The switch is a
plain form (POST, CSRF, back to the page), so it works without JavaScript.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

COOKIE = "louzu_text"
LARGE, NORMAL = "large", "normal"
COOKIE_SECONDS = 365 * 24 * 3600


def is_large(request) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user.large_text
    return request.COOKIES.get(COOKIE) == LARGE


def text_size(request):
    """Context processor: whether the page is drawn in large text."""
    return {"large_text": is_large(request)}


def _back(request) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@login_not_required
@require_POST
def switch_text_size(request):
    """Turn large text on or off (size=large|normal) and go back; anything else
    changes nothing."""
    size = request.POST.get("size", "")
    response = HttpResponseRedirect(_back(request))
    if size not in (LARGE, NORMAL):
        return response
    if request.user.is_authenticated and request.user.large_text != (size == LARGE):
        request.user.large_text = size == LARGE
        request.user.save(update_fields=["large_text"])
    response.set_cookie(
        COOKIE, size, max_age=COOKIE_SECONDS, samesite="Lax", httponly=True
    )
    return response


def keep_large_text_at_login(sender, request, user, **kwargs):
    """Large text chosen on this phone before logging in stays on."""
    if (
        request is not None
        and request.COOKIES.get(COOKIE) == LARGE
        and not user.large_text
    ):
        user.large_text = True
        user.save(update_fields=["large_text"])
