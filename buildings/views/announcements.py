"""Announcements: one announcement (with its text for the WeChat group) and posting one
to a building or, for branch staff, to the whole community."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import (
    PermissionDenied,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from buildings import services
from buildings.forms import (
    AnnouncementForm,
)
from buildings.models import Announcement, ChangeNote, Community
from buildings.permissions import (
    MANAGE,
    can_change_announcement,
    can_post_community_announcement,
    get_access_or_404,
)


def announcement_detail(request, pk):
    announcement = get_object_or_404(
        Announcement.objects.published().select_related("building", "community"), pk=pk
    )
    if announcement.building_id:
        get_access_or_404(request.user, announcement.building_id)
        heading = announcement.building.display_name
    else:
        heading = announcement.community.name
    url = settings.SITE_URL + announcement.get_absolute_url()
    text = services.wechat_text(
        heading=heading, title=announcement.title, body=announcement.body, url=url
    )
    return render(
        request,
        "buildings/announcement_detail.html",
        {
            "announcement": announcement,
            "wechat_text": text,
            "notes": list(ChangeNote.objects.about(announcement)),
            "can_change": can_change_announcement(request.user, announcement),
        },
    )


announcement_detail = login_not_required(announcement_detail)


def announcement_create(request, pk):
    access = get_access_or_404(request.user, pk, MANAGE)
    form = AnnouncementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        announcement = services.post_announcement(
            author=request.user,
            community=access.building.community,
            building=access.building,
            **form.cleaned_data,
        )
        messages.success(
            request,
            _(
                "The announcement is published. Copy the text below for the WeChat group."
            ),
        )
        return redirect(announcement)
    return render(
        request,
        "buildings/announcement_form.html",
        {"form": form, "target": access.building},
    )


def community_announcement_create(request, community_pk):
    community = get_object_or_404(Community, pk=community_pk)
    if not can_post_community_announcement(request.user, community):
        raise PermissionDenied(
            _("Only branch staff can post an announcement to the whole community.")
        )
    form = AnnouncementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        announcement = services.post_announcement(
            author=request.user, community=community, building=None, **form.cleaned_data
        )
        messages.success(
            request,
            _(
                "The announcement is published. Copy the text below for the WeChat group."
            ),
        )
        return redirect(announcement)
    return render(
        request, "buildings/announcement_form.html", {"form": form, "target": community}
    )
