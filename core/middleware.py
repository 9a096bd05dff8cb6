from django.db import OperationalError
from django.shortcuts import render
from django.utils.translation import gettext as _

# Pages never run inline script or load anything from another host.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


class SecurityHeadersMiddleware:
    """Content-Security-Policy on every response (the rest comes from Django)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


class DatabaseBusyMiddleware:
    """A locked database or a lock timeout becomes a friendly 503, never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_busy(exception):
            return busy_page(request)
        return None


BUSY_MARKERS = (
    "database is locked",
    "lock timeout",
    "canceling statement due to lock timeout",
)


def is_busy(exception) -> bool:
    """A locked database (SQLite) or a lock wait that timed out (PostgreSQL)."""
    return isinstance(exception, OperationalError) and any(
        marker in str(exception).lower() for marker in BUSY_MARKERS
    )


def busy_page(request):
    response = render(
        request,
        "busy.html",
        {
            "message": _(
                "Many neighbours are using Louzu right now. Please try again in a moment."
            )
        },
        status=503,
    )
    response.headers["Retry-After"] = "3"
    return response
