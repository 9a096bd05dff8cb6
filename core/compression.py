"""Compressed pages where the app serves them itself (gunicorn alone, the development server).

Behind nginx, nginx may compress instead (LOUZU_GZIP=0, see README.md); either way a
page goes out gzipped. Static files are compressed ahead of time by collectstatic
(WhiteNoise writes a .gz and a .br beside each one) and never pass through here.

BREACH: a compressed page that carries a secret next to text an attacker chose can leak
the secret through its compressed length. Our pages carry the CSRF token, and Django
masks it with a fresh random value on every response, so no two responses share the
token's bytes; Django's GZipMiddleware also adds random bytes to each gzip header
("Heal the BREACH"). The session key never appears in a page.
"""

from django.middleware.gzip import GZipMiddleware

# Text compresses to a fraction; photos, PDFs and spreadsheets (zip files) do not.
TEXT_TYPES = ("text/", "application/json", "application/javascript", "image/svg+xml")


class TextGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware, for text responses only."""

    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith(TEXT_TYPES):
            return response
        return super().process_response(request, response)
