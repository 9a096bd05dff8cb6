"""Site-wide answers: the health check, where "/" leads, and uploaded photos at /media/."""

import mimetypes

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import (
    SuspiciousOperation,
)
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_safe

from buildings import extensions
from buildings.models import Community
from buildings.permissions import (
    active_membership,
)


@login_not_required
@require_GET
def healthz(request):
    """For load balancers and the benchmark: the app answers, without touching the database."""
    return HttpResponse("ok", content_type="text/plain")


@login_not_required
def home(request):
    """Residents land on their building, staff on the page a feature app registered
    (extensions.register_staff_home: the branch dashboard), others on the community page."""
    if (
        request.user.is_authenticated
        and request.user.is_staff
        and extensions.STAFF_HOME
    ):
        return redirect(extensions.STAFF_HOME[0])
    membership = active_membership(request.user)
    if membership is not None and membership.is_approved:
        return redirect(membership.household.building)
    if membership is not None:
        return redirect("buildings:me")
    communities = list(Community.objects.all()[:2])
    if len(communities) == 1:
        return redirect(communities[0])
    return redirect("buildings:communities")


@login_not_required
@require_safe
def media(request, path):
    """Uploaded photos (random names), read from the media storage: disk or S3."""
    parts = path.split("/")
    if any(part in ("", ".", "..") or "\\" in part or "\x00" in part for part in parts):
        raise Http404
    # Folders shown only through the owning app's views (extensions.PRIVATE_MEDIA).
    permission = extensions.PRIVATE_MEDIA.get(parts[0])
    if permission and not request.user.has_perm(permission):
        raise Http404
    try:
        file = default_storage.open(path, "rb")
    except (OSError, SuspiciousOperation) as exc:  # missing, a folder, outside media
        raise Http404 from exc
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    response = FileResponse(file, content_type=content_type)
    # Names are random and never reused, so a browser may keep a photo for a day.
    response["Cache-Control"] = "private, max-age=86400"
    return response
