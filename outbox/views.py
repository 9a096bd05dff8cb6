from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from buildings.notify import KINDS
from buildings.permissions import MANAGE, get_access_or_404
from outbox import services
from outbox.forms import SmsChoicesForm, WecomRobotForm
from outbox.models import Channel, Delivery, SmsBudget, WecomRobot


@never_cache
def wecom_robot(request, pk):
    """The leader sets up (or removes) the building's WeCom group robot."""
    access = get_access_or_404(request.user, pk, MANAGE)
    building = access.building
    robot = WecomRobot.objects.filter(building=building).first()
    form = WecomRobotForm(
        request.POST or None,
        instance=robot or WecomRobot(building=building),
        initial=None if robot else {"is_active": True},
    )
    if request.method == "POST" and form.is_valid():
        robot = services.save_wecom_robot(
            building=building,
            webhook_url=form.cleaned_data["webhook_url"],
            is_active=form.cleaned_data["is_active"],
            by=request.user,
        )
        if robot is None:
            messages.success(request, _("The WeCom robot has been removed."))
        else:
            messages.success(request, _("The WeCom robot has been saved."))
            if "test" in request.POST:
                services.queue_group_post(
                    building,
                    kind="test",
                    text=_("Louzu: the robot of %(building)s works.")
                    % {"building": building.display_name},
                )
                messages.info(
                    request,
                    _("A test message is on its way; its outcome shows below."),
                )
        return redirect("outbox:wecom", pk=building.pk)
    recent = Delivery.objects.filter(building=building, channel=Channel.WECOM)[:10]
    return render(
        request,
        "outbox/wecom_robot.html",
        {"building": building, "form": form, "robot": robot, "recent": recent},
    )


@never_cache
def sms_choices(request):
    """Per kind of message: inbox only, or inbox + SMS."""
    kinds = [(kind, KINDS[kind]) for kind in services.SMS_KINDS if kind in KINDS]
    form = SmsChoicesForm(
        request.POST or None,
        kinds=kinds,
        chosen=services.sms_kinds_of(request.user),
        muted=set(request.user.notification_mutes.values_list("kind", flat=True)),
    )
    if request.method == "POST":
        if form.is_valid():
            services.set_sms_choices(user=request.user, wanted=form.wanted())
            messages.success(request, _("Your choices have been saved."))
            return redirect("outbox:sms-choices")
        messages.error(request, _("Please choose one of the options."))
    community = services.community_of(request.user)
    budget_set = SmsBudget.objects.filter(
        community=community, monthly_limit__gt=0
    ).exists()
    return render(
        request,
        "outbox/sms_choices.html",
        {"form": form, "phone": request.user.masked_phone, "budget_set": budget_set},
    )
