"""A form sent twice is saved once: a double tap, or Back and send again, gets the first
answer again and changes nothing.

Every form a page shows carries a CSRF token that Django masks afresh for each page it
renders (the page cache gives every hit a fresh one too), so the same token, person,
address and fields mean the same filled-in form sent again. `SubmitOnceMiddleware` notes
that form's key in a `Submission` row (the primary key is the guard) before the view
runs:

- the first request runs the view; when it answers with a redirect (Post/Redirect/Get,
  every form here) the row keeps the address and the messages, otherwise the row is
  removed so the form can be sent again (a page with errors, an export, a failure);
- a repeat, even one that arrives while the first still runs, waits for that answer and
  gives it again, messages included: the person sees what the first request would have
  shown them, which their browser may have dropped for the second.

Forms sent by visitors (log-in, sign-up) are left alone: a log-in changes the token.
Money and goods forms also carry their own token (funds), a unique column on the entry.
The rows are forgotten after a day (`forget_submissions`).
"""

import hashlib
import json
import time
from datetime import timedelta

from django.contrib import messages
from django.db import IntegrityError, OperationalError, transaction
from django.http import UnreadablePostError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from core.middleware import busy_page, is_busy
from core.models import Submission
from core.races import guards_on

KEEP = timedelta(days=1)
# How long a repeat waits for the first request's answer (a lock wait fails in 3 s).
WAIT_SECONDS = 15.0
REDIRECTS = (301, 302, 303, 307, 308)


def submission_key(request) -> str | None:
    """The filled-in form's key, or None when the request is not a form of a signed-in
    person (no CSRF field: a test client, a script)."""
    if request.method != "POST" or not request.user.is_authenticated:
        return None
    try:
        token = request.POST.get("csrfmiddlewaretoken")
    except UnreadablePostError:  # the phone went away mid-upload: CSRF answers it
        return None
    if not token:
        return None
    fields = sorted(
        (name, values)
        for name, values in request.POST.lists()
        if name != "csrfmiddlewaretoken"
    )
    files = sorted(
        (name, [(upload.name, upload.size) for upload in uploads])
        for name, uploads in request.FILES.lists()
    )
    sent = json.dumps([request.user.pk, request.get_full_path(), token, fields, files])
    return hashlib.sha256(sent.encode()).hexdigest()


class SubmitOnceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = submission_key(request) if guards_on() else None
        if key is None:
            return self.get_response(request)
        try:
            return self.once(request, key)
        except OperationalError as error:  # the view's own are answered by the view's
            if is_busy(error):  # middleware; these come from noting the form
                return busy_page(request)
            raise

    def once(self, request, key):
        try:
            with transaction.atomic():
                Submission.objects.create(key=key)
        except IntegrityError:
            return self.repeat(request, key)
        try:
            response = self.get_response(request)
        except BaseException:
            Submission.objects.filter(key=key).delete()
            raise
        if response.status_code in REDIRECTS and response.get("Location"):
            Submission.objects.filter(key=key).update(
                location=response["Location"], messages=added_messages(request)
            )
        else:
            Submission.objects.filter(key=key).delete()
        return response

    def repeat(self, request, key):
        """The first request's answer, once it has one."""
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            first = Submission.objects.filter(key=key).first()
            if first is None:  # the first failed or showed errors: run this one
                return self.once(request, key)
            if first.location:
                for level, text, tags in first.messages:
                    messages.add_message(request, level, text, extra_tags=tags)
                return redirect(first.location)
            if time.monotonic() > deadline:
                break
            time.sleep(0.1)
        messages.info(
            request,
            _(
                "This form is still being sent. Please look in a moment whether it "
                "arrived."
            ),
        )
        back = request.META.get("HTTP_REFERER", "")
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = "/"
        return redirect(back)


def added_messages(request) -> list:
    """The messages this request added, as [level, text, tags]. Reading them from the
    storage's queue leaves them in place; iterating the storage would mark them shown.
    A message may quote what was sent (an invalid choice), and PostgreSQL's JSON holds
    no NUL character: it is left out."""
    queued = getattr(getattr(request, "_messages", None), "_queued_messages", [])
    return [[m.level, str(m.message).replace("\x00", ""), m.extra_tags] for m in queued]


def forget_old() -> int:
    """Remove the rows of forms sent more than a day ago; returns how many."""
    deleted, _kinds = Submission.objects.filter(
        sent_at__lt=timezone.now() - KEEP
    ).delete()
    return deleted
