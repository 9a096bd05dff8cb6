"""What the funds pages share: the building's fund or a 404, and the message after
saving (or after a second press of the button saved nothing)."""

from django.contrib import messages
from django.http import Http404
from django.utils.translation import gettext as _

from funds.models import Fund


def _fund_or_404(access) -> Fund:
    # order_by(): the fund's default order (by building, in counting order) would join
    # the building and community tables to sort the one row there is.
    fund = Fund.objects.filter(building=access.building).order_by().first()
    if fund is None:
        raise Http404
    return fund


def _saved_message(request, created: bool, text: str) -> None:
    if created:
        messages.success(request, text)
    else:
        messages.info(
            request,
            _(
                "This was already saved (the button was pressed twice); nothing was added."
            ),
        )
