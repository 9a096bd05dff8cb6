"""Where uploaded photos live when they are not on local disk.

The bucket stays private: browsers never talk to it. Every photo is fetched from this
app at /media/<name> (buildings.views.site.media), so the strict Content-Security-Policy
(img-src 'self') holds and the security headers and access rules apply as for any page.
"""

from urllib.parse import urljoin

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage


class MediaS3Storage(S3Storage):
    """django-storages' S3 backend whose URLs point at this app's /media/ route."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        return urljoin(settings.MEDIA_URL, filepath_to_uri(name).lstrip("/"))
