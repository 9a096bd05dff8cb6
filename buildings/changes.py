"""Edits and cancellations with a reason, kept in sight (docs/architecture.md, "Changes").

Every feature app records a leader's edit or cancellation here: a `ChangeNote` is the
line "changed on 3月2日 by 王阿姨: the hall is booked" shown on the item's page; the
audit log (django-auditlog) keeps the before/after values for staff. A cancelled item
is never deleted: it keeps its `cancelled_at` and `cancel_reason` (models.Cancellable).
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from buildings.models import Building, Cancellable, ChangeNote, User

REASON_MAX = ChangeNote._meta.get_field("reason").max_length


def clean_reason(reason: str) -> str:
    """A reason is required, on one line, at most REASON_MAX characters."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(_("Please say why, for the residents who will read it."))
    if len(reason) > REASON_MAX:
        raise ValidationError(
            _("The reason can be at most %(max)d characters long.")
            % {"max": REASON_MAX}
        )
    return reason


def record_change(
    *,
    obj,
    by: User | None,
    reason: str,
    action: str = ChangeNote.Action.EDITED,
    building: Building | None = None,
) -> ChangeNote:
    """Write the visible history line of an edit, cancellation, merge or hiding."""
    return ChangeNote.objects.create(
        building=building if building is not None else getattr(obj, "building", None),
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        action=action,
        reason=clean_reason(reason),
        by=by,
    )


def cancel(*, obj: Cancellable, by: User | None, reason: str, building=None) -> None:
    """Mark an item cancelled with its reason (the caller holds its row lock)."""
    if obj.is_cancelled:
        raise ValidationError(_("This was already cancelled."))
    reason = clean_reason(reason)
    obj.cancelled_at = timezone.now()
    obj.cancel_reason = reason
    fields = ["cancelled_at", "cancel_reason"]
    if any(field.name == "updated_at" for field in obj._meta.concrete_fields):
        fields.append("updated_at")  # a call-off is its latest change (.ics, lists)
    obj.save(update_fields=fields)
    record_change(
        obj=obj,
        by=by,
        reason=reason,
        action=ChangeNote.Action.CANCELLED,
        building=building,
    )
