"""The outbox's part of a person's data export and of leaving (see buildings.privacy).

An SMS already sent to someone who leaves stays counted against its community's monthly
budget (it was paid for), without the number it went to or its words; one not yet sent
is not sent; their choice of SMS goes. (Their notifications, which the root app deletes,
would otherwise take these rows with them, and the month's budget would grow back.)
"""

from outbox.models import Delivery, SmsChoice


def export_user_data(user) -> dict:
    return {
        "sms_kinds": sorted(
            SmsChoice.objects.filter(user=user).values_list("kind", flat=True)
        )
    }


def anonymise_user(user) -> None:
    mine = Delivery.objects.filter(notification__recipient=user)
    mine.filter(status__in=[Delivery.Status.PENDING, Delivery.Status.HELD]).delete()
    mine.update(notification=None, phone="", text="", last_error="", error=None)
    SmsChoice.objects.filter(user=user).delete()
