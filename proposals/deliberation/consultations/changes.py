"""A leader corrects or cancels a consultation before the first answer, with a reason.

As for polls: the consultation row is locked here and by `submit_response`, so an edit
and an answer never interleave, and an answer to a version not read is refused.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from buildings import changes
from buildings.models import User
from buildings.notify import At, Message
from core.races import locked, pause, set_lock_timeout
from proposals.deliberation.consultations.models import Consultation
from proposals.deliberation.notices import notify_building


def _lock_unanswered(consultation: Consultation) -> Consultation:
    set_lock_timeout()
    consultation = locked(Consultation.objects.filter(pk=consultation.pk)).get()
    if consultation.is_cancelled:
        raise ValidationError(_("This consultation was already cancelled."))
    if consultation.responses.exists():
        raise ValidationError(
            _(
                "People have already answered: the consultation can no longer be changed or cancelled."
            )
        )
    return consultation


@transaction.atomic
def edit_consultation(
    *,
    consultation: Consultation,
    by: User,
    title: str,
    intro: str,
    closes_at: datetime,
    reason: str,
) -> Consultation:
    """Change the title, introduction or closing time before anyone answered."""
    reason = changes.clean_reason(reason)
    consultation = _lock_unanswered(consultation)
    if closes_at <= max(consultation.opens_at, timezone.now()):
        raise ValidationError(
            _("The consultation must close after it opens, in the future.")
        )
    pause()
    consultation.title = " ".join(title.split())
    consultation.intro = intro.strip()
    consultation.closes_at = closes_at
    consultation.version += 1
    consultation.save(update_fields=["title", "intro", "closes_at", "version"])
    changes.record_change(obj=consultation, by=by, reason=reason)
    notify_building(
        building=consultation.building,
        kind="poll_changed",
        text=Message(
            gettext_noop(
                "The consultation “%(title)s” was changed (until %(closes)s): %(reason)s"
            ),
            title=consultation.title,
            closes=At(closes_at),
            reason=reason,
        ),
        link=consultation.get_absolute_url(),
    )
    return consultation


@transaction.atomic
def cancel_consultation(
    *, consultation: Consultation, by: User, reason: str
) -> Consultation:
    """Call a consultation off before anyone answered; the building is told."""
    reason = changes.clean_reason(reason)
    consultation = _lock_unanswered(consultation)
    pause()
    changes.cancel(obj=consultation, by=by, reason=reason)
    notify_building(
        building=consultation.building,
        kind="poll_changed",
        text=Message(
            gettext_noop("The consultation “%(title)s” was cancelled: %(reason)s"),
            title=consultation.title,
            reason=reason,
        ),
        link=consultation.get_absolute_url(),
    )
    return consultation
