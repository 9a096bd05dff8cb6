"""Goods given to the fund: the stock list, logging goods received, using them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from buildings.permissions import MANAGE, VIEW, get_access_or_404
from funds import permissions, services
from funds.forms import GoodsForm, UseGoodsForm
from funds.models import GoodsDonation
from funds.views.common import _fund_or_404, _saved_message


def goods(request, building_pk):
    access = get_access_or_404(request.user, building_pk, VIEW)
    fund = _fund_or_404(access)
    items = (
        GoodsDonation.objects.filter(fund=fund)
        .with_stock()
        .prefetch_related("movements")
        .order_by("-received_on", "-pk")[:200]
    )
    return render(
        request,
        "funds/goods.html",
        {
            "access": access,
            "building": access.building,
            "fund": fund,
            "items": items,
            "can_log": permissions.can_log_money(access),
            "use_form": UseGoodsForm(),
        },
    )


def goods_create(request, building_pk):
    access = get_access_or_404(request.user, building_pk, MANAGE)
    fund = _fund_or_404(access)
    form = GoodsForm(request.POST or None, fund=fund)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item, created = services.record_goods(
                fund=fund,
                item=data["item"],
                quantity=data["quantity"],
                unit=data["unit"],
                received_on=data["received_on"],
                donor_resident=data["donor_resident"],
                donor_name=data["donor_name"],
                public_name=data["public_name"],
                need=data["need"],
                note=data["note"],
                token=data["token"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _saved_message(request, created, _("Goods saved into stock."))
            return redirect(item)
    return render(
        request,
        "funds/entry_form.html",
        {
            "access": access,
            "building": access.building,
            "form": form,
            "heading": _("Log goods received"),
            "button": _("Save goods"),
        },
    )


def goods_use(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, MANAGE)
    fund = _fund_or_404(access)
    item = get_object_or_404(GoodsDonation.objects.filter(fund=fund), pk=pk)
    form = UseGoodsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.use_goods(
                goods=item,
                quantity=data["quantity"],
                used_for=data["used_for"],
                occurred_on=data["occurred_on"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved: goods taken out of stock."))
            return redirect(item)
    return render(
        request,
        "funds/entry_form.html",
        {
            "access": access,
            "building": access.building,
            "form": form,
            "heading": _("Use goods: %(item)s") % {"item": item},
            "button": _("Save"),
        },
    )
