"""The root's pages: home, community and building pages, membership, residents, the
leader's to-do, announcements, notifications, one's own data, and /media/.

Longer than 500 lines for now: the account pages (log-in by code, password reset) are
being moved to buildings/account_views.py; the membership pages are next to go to a
module of their own.
"""

import mimetypes

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import (
    PermissionDenied,
    SuspiciousOperation,
    ValidationError,
)
from django.core.files.storage import default_storage
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST, require_safe

from buildings import extensions, privacy, services
from buildings.forms import (
    AnnouncementForm,
    BuildingForm,
    HouseholdsForm,
    JoinForm,
    LeaveForm,
    NotificationChoicesForm,
    ProfileForm,
    ProxyResidentForm,
    PublicDisplayForm,
    RegisterForm,
    RejectForm,
    TalentForm,
)
from buildings.models import Announcement, Building, Community, Resident, Talent, User
from buildings.permissions import (
    CHOSEN_BUILDING,
    MANAGE,
    active_membership,
    can_post_community_announcement,
    get_access_or_404,
    household_members,
    is_staff_for,
    membership_for,
    memberships_of,
)
from buildings.phones import MOBILE_RE, normalize_phone
from core import pagecache
from core.pagecache import cached_page


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
def community_list(request):
    communities = Community.objects.select_related("town")
    return render(
        request, "buildings/community_list.html", {"communities": communities}
    )


@login_not_required
@cached_page
def community_detail(request, pk):
    community = get_object_or_404(Community, pk=pk)
    buildings = community.buildings.with_counts()
    announcements = Announcement.objects.community_wide(community)[:20]
    membership = active_membership(request.user)
    in_community = any(
        m.is_approved and m.household.building.community_id == community.pk
        for m in memberships_of(request.user)
    )
    talents = []
    if in_community or is_staff_for(request.user, community.pk):
        talents = Talent.objects.visible_in_community(community)[:50]
    return render(
        request,
        "buildings/community_detail.html",
        {
            "community": community,
            "buildings": buildings,
            "announcements": announcements,
            "talents": talents,
            "membership": membership,
            "can_post": can_post_community_announcement(request.user, community),
        },
    )


@login_not_required
def register(request):
    if request.user.is_authenticated:
        return redirect("home")
    from buildings import account_views, codes  # the phone is proven by a code first

    form = RegisterForm(
        request.POST or None, initial={"phone": request.session.get("code_phone", "")}
    )
    if request.method == "POST" and request.POST.get("action") == "send":
        error = account_views.send_code(request, codes.Purpose.REGISTER)
        if error:
            messages.error(request, error)
        form = RegisterForm(initial={k: form.data.get(k) for k in ("phone", "name")})
    elif (
        request.method == "POST"
        and form.is_valid()
        and not codes.use_code(
            phone=form.cleaned_data["phone"],
            purposes=[codes.Purpose.REGISTER],
            code=form.cleaned_data["code"],
        )
    ):
        form.add_error(
            "code", _("The code is not right or has run out. Ask for a new one.")
        )
    elif request.method == "POST" and form.is_valid():
        existing = User.objects.filter(
            phone=form.cleaned_data["phone"], is_active=True
        ).first()
        if existing is not None:
            # The code proved the phone is theirs: log in to the account they have.
            login(request, existing, backend="buildings.backends.CachedModelBackend")
            messages.info(
                request,
                _("This number already had an account: you are now logged in to it."),
            )
            return redirect("home")
        user = form.save()
        login(request, user, backend="buildings.backends.CachedModelBackend")
        messages.success(
            request, _("Your account is ready. Now ask to join your building.")
        )
        return redirect("buildings:join-start")
    return render(request, "registration/register.html", {"form": form})


def join_start(request):
    """Choose the community, then the building and room."""
    communities = list(Community.objects.all())
    if len(communities) == 1:
        return redirect("buildings:join", communities[0].pk)
    return render(request, "buildings/join_start.html", {"communities": communities})


def join(request, community_pk):
    community = get_object_or_404(Community, pk=community_pk)
    form = JoinForm(
        request.POST or None, community=community, initial={"name": request.user.name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.request_to_join(
                user=request.user,
                building=form.cleaned_data["building"],
                room=form.cleaned_data["room"],
                name=form.cleaned_data["name"],
                is_adult=form.cleaned_data["is_adult"],
            )
        except ValidationError as error:
            form.add_error("room", error.messages[0])
        else:
            messages.success(
                request,
                _(
                    "Your request has been sent. Your building leader will check it soon."
                ),
            )
            return redirect("buildings:me")
    return render(
        request, "buildings/join.html", {"community": community, "form": form}
    )


@never_cache  # personal: no browser or proxy may keep it
def me(request):
    """The person's own page: their membership, household, profile and skills."""
    membership = active_membership(request.user)
    others = [m for m in memberships_of(request.user) if m is not membership]
    past = request.user.memberships.exclude(
        status__in=[Resident.Status.PENDING, Resident.Status.APPROVED]
    ).select_related("household__building")
    members = []
    talent_form = None
    if membership is not None and membership.is_approved:
        members = household_members(membership.household)
        talent_form = TalentForm(
            initial={
                "skills": ", ".join(
                    t.skill.name for t in membership.talents.select_related("skill")
                ),
                "offer": next(
                    iter(membership.talents.values_list("offer", flat=True)), ""
                ),
                "talent_visibility": membership.talent_visibility,
                "shows_party_badge": membership.shows_party_badge,
            }
        )
    profile_form = ProfileForm(instance=request.user)
    display_form = None
    if membership is not None and membership.is_approved:
        display_form = PublicDisplayForm(
            initial={"public_display": membership.public_display}
        )
    return render(
        request,
        "buildings/me.html",
        {
            "membership": membership,
            "other_memberships": others,
            "past_memberships": past,
            "household_members": members,
            "talent_form": talent_form,
            "profile_form": profile_form,
            "display_form": display_form,
        },
    )


@never_cache
def switch_building(request):
    """Make one of the person's buildings "my building" (kept in the session)."""
    if request.method != "POST":
        membership = active_membership(request.user)
        others = [m for m in memberships_of(request.user) if m is not membership]
        return render(
            request,
            "buildings/switch_building.html",
            {"membership": membership, "other_memberships": others},
        )
    building_pk = request.POST.get("building", "")
    membership = (
        membership_for(request.user, building_pk) if building_pk.isdigit() else None
    )
    if membership is None:
        messages.error(request, _("You are not a resident of that building."))
        return redirect("buildings:me")
    request.session[CHOSEN_BUILDING] = membership.household.building_id
    return redirect(membership.household.building)


@require_POST
def profile_update(request):
    form = ProfileForm(request.POST, request.FILES, instance=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been saved."))
        return redirect("buildings:me")
    messages.error(request, _("Please correct the errors below."))
    membership = active_membership(request.user)
    return render(
        request,
        "buildings/me.html",
        {
            "membership": membership,
            "profile_form": form,
            "past_memberships": [],
            "household_members": [],
        },
        status=400,
    )


@require_POST
def talents_update(request):
    membership = active_membership(request.user)
    if membership is None or not membership.is_approved:
        raise Http404
    return _save_talents(request, membership, redirect_to="buildings:me")


def _save_talents(request, resident, redirect_to, *args):
    form = TalentForm(request.POST)
    if form.is_valid():
        services.update_talents(
            resident=resident,
            skills=form.skill_list(),
            offer=form.cleaned_data["offer"],
            visibility=form.cleaned_data["talent_visibility"],
            shows_party_badge=form.cleaned_data["shows_party_badge"],
            actor=request.user,
        )
        messages.success(request, _("Skills and choices saved."))
    else:
        messages.error(
            request, " ".join(e for errs in form.errors.values() for e in errs)
        )
    return redirect(redirect_to, *args)


@never_cache
def my_data(request):
    """Download everything Louzu holds on me, as JSON."""
    data = privacy.export_user_data(request.user)
    response = JsonResponse(
        data, json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = 'attachment; filename="louzu-my-data.json"'
    return response


def leave(request):
    """Leave Louzu: the account is anonymised, contributions and counts stay."""
    form = LeaveForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        privacy.leave(user=request.user)
        logout(request)
        messages.success(
            request,
            _("You have left Louzu. Your name and phone number have been removed."),
        )
        return redirect("home")
    return render(request, "buildings/leave.html", {"form": form})


@require_POST
def public_display_update(request):
    """A resident chooses how they appear on public lists; it caps what a leader can show."""
    membership = active_membership(request.user)
    if membership is None or not membership.is_approved:
        raise Http404
    form = PublicDisplayForm(request.POST)
    if form.is_valid():
        membership.public_display = form.cleaned_data["public_display"]
        membership.save(update_fields=["public_display"])
        messages.success(request, _("Your choice has been saved."))
    else:
        messages.error(request, _("Please choose one of the options."))
    return redirect("buildings:me")


def notification_settings(request):
    from buildings.notify import KINDS

    muted = set(request.user.notification_mutes.values_list("kind", flat=True))
    form = NotificationChoicesForm(
        request.POST or None,
        initial={"kinds": [kind for kind in KINDS if kind not in muted]},
    )
    if request.method == "POST" and form.is_valid():
        services.set_notification_choices(
            user=request.user, wanted=set(form.cleaned_data["kinds"])
        )
        messages.success(request, _("Your choices have been saved."))
        return redirect("buildings:notifications")
    return render(
        request,
        "buildings/notification_settings.html",
        {"form": form, "more": extensions.notification_settings_links(request.user)},
    )


@never_cache
def notifications(request):
    items = list(request.user.notifications.all()[:100])
    # Opening the inbox reads what was new, so this GET writes only when something is
    # unread; most visits find nothing new and change nothing (no UPDATE, no write lock).
    # Unread messages are always the newest (reading marks them all at once), so if
    # any is unread, one of the newest 100 shown here is.
    if any(item.read_at is None for item in items):
        request.user.notifications.unread().update(read_at=timezone.now())
        pagecache.touch_inboxes([request.user.pk])  # the unread count in the top bar
    request.user._louzu_unread = 0  # this page reads them all
    return render(request, "buildings/notifications.html", {"items": items})


def _building_personal(request, pk):
    """The building page's own part for this person: their household and what waits."""
    access = get_access_or_404(request.user, pk)
    household = access.resident.household if access.resident else None
    return {
        "access": access,
        "building": access.building,
        "household": household,
        "household_members": household_members(household) if household else [],
        "notes": extensions.personal_notes(access),
    }


@cached_page(personal=_building_personal)
def building_detail(request, pk):
    mine = _building_personal(request, pk)
    access = mine["access"]
    building = access.building
    team = sorted(
        Resident.objects.team()
        .in_building(building)
        .select_related("household", "user"),
        key=lambda member: (member.role != Resident.Role.LEADER, member.name),
    )
    talents = Talent.objects.visible_in_building(
        building, include_staff_only=access.is_staff
    )
    talents = talents.select_related("resident__household")[:100]
    party_members = (
        Resident.objects.approved()
        .in_building(building)
        .filter(is_party_member=True, shows_party_badge=True)
    )
    announcements = Announcement.objects.for_building(building)[:10]
    counts = Building.objects.with_counts().get(pk=building.pk)
    panels = extensions.building_panels(access)
    return render(
        request,
        "buildings/building_detail.html",
        {
            **mine,
            "team": team,
            "talents": talents,
            "party_members": party_members,
            "announcements": announcements,
            "counts": counts,
            "panels": panels,
            "pending_count": Resident.objects.pending().in_building(building).count()
            if access.can_manage
            else 0,
        },
    )


def building_edit(request, pk):
    access = get_access_or_404(request.user, pk, MANAGE)
    form = BuildingForm(
        request.POST or None, request.FILES or None, instance=access.building
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The building page has been updated."))
        return redirect(access.building)
    return render(
        request,
        "buildings/building_edit.html",
        {"building": access.building, "form": form},
    )


def todo(request, pk):
    """A leader's page of everything that waits for them in the building."""
    access = get_access_or_404(request.user, pk, MANAGE)
    items = [
        extensions.TodoItem(
            label=_("Join requests"),
            count=Resident.objects.pending().in_building(access.building).count(),
            url=reverse("buildings:join-requests", args=[pk]),
        ),
        *extensions.leader_todo(access),
    ]
    return render(
        request,
        "buildings/todo.html",
        {
            "building": access.building,
            "items": items,
            "total": sum(item.count for item in items),
        },
    )


def join_requests(request, pk):
    access = get_access_or_404(request.user, pk, MANAGE)
    pending = (
        Resident.objects.pending()
        .in_building(access.building)
        .select_related("household", "user")
    )
    decided = (
        Resident.objects.in_building(access.building)
        .filter(
            status__in=[Resident.Status.APPROVED, Resident.Status.REJECTED],
            decided_at__isnull=False,
        )
        .select_related("household", "decided_by")
        .order_by("-decided_at")[:20]
    )
    phones = (
        Resident.objects.in_building(access.building)
        .filter(user__isnull=False)
        .values("user__phone")
    )
    locked = AccessAttempt.objects.filter(
        username__in=phones, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    ).values_list("username", flat=True)
    return render(
        request,
        "buildings/join_requests.html",
        {
            "building": access.building,
            "pending": pending,
            "decided": decided,
            "reject_form": RejectForm(),
            "locked_phones": sorted(set(locked)),
        },
    )


@require_POST
def decide_join(request, pk, resident_pk, decision):
    access = get_access_or_404(request.user, pk, MANAGE)
    resident = get_object_or_404(
        Resident.objects.in_building(access.building), pk=resident_pk
    )
    approve = decision == "approve"
    reason = ""
    if not approve:
        form = RejectForm(request.POST)
        if not form.is_valid():
            messages.error(
                request, _("Please give a reason, so the person knows what to do next.")
            )
            return redirect("buildings:join-requests", pk)
        reason = form.cleaned_data["reason"]
    try:
        services.decide_join_request(
            resident=resident, decided_by=request.user, approve=approve, reason=reason
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        if approve:
            messages.success(
                request,
                _("%(name)s has joined the building.") % {"name": resident.name},
            )
        else:
            messages.success(
                request,
                _("The request from %(name)s was declined.") % {"name": resident.name},
            )
    return redirect("buildings:join-requests", pk)


@require_POST
def unlock_phone(request, pk):
    access = get_access_or_404(request.user, pk, MANAGE)
    phone = normalize_phone(request.POST.get("phone", ""))
    belongs = MOBILE_RE.match(phone) and (
        Resident.objects.in_building(access.building).filter(user__phone=phone).exists()
    )
    if not belongs:
        messages.error(
            request, _("That phone number does not belong to this building.")
        )
    else:
        axes_reset(username=phone)
        messages.success(request, _("%(phone)s can log in again.") % {"phone": phone})
    return redirect("buildings:join-requests", pk)


def residents(request, pk):
    access = get_access_or_404(request.user, pk, MANAGE)
    households = access.building.households.prefetch_related(
        Prefetch(
            "residents", queryset=Resident.objects.approved().select_related("user")
        )
    )
    form = ProxyResidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            resident = services.register_proxy_resident(
                building=access.building,
                leader=request.user,
                room=form.cleaned_data["room"],
                name=form.cleaned_data["name"],
                contact_phone=form.cleaned_data["contact_phone"],
                is_adult=form.cleaned_data["is_adult"],
            )
        except ValidationError as error:
            form.add_error("room", error.messages[0])
        else:
            messages.success(
                request,
                _("%(name)s has been registered. You can act for them from now on.")
                % {"name": resident.name},
            )
            return redirect(resident)
    return render(
        request,
        "buildings/residents.html",
        {"building": access.building, "households": households, "form": form},
    )


def households(request, pk):
    """Leaders and staff add the building's rooms (户/室), one by one or as ranges."""
    access = get_access_or_404(request.user, pk, MANAGE)
    form = HouseholdsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            added = services.add_households(
                building=access.building, spec=form.cleaned_data["rooms"]
            )
        except ValidationError as error:
            form.add_error("rooms", error.messages[0])
        else:
            messages.success(request, _("%(count)d rooms added.") % {"count": added})
            return redirect("buildings:households", pk)
    rooms = access.building.households.values_list("room", flat=True)
    return render(
        request,
        "buildings/households.html",
        {"building": access.building, "form": form, "rooms": list(rooms)},
    )


def resident_detail(request, pk, resident_pk):
    """A leader's page for one resident: acts on their behalf (代录) and their history."""
    access = get_access_or_404(request.user, pk, MANAGE)
    resident = get_object_or_404(
        Resident.objects.in_building(access.building)
        .approved()
        .select_related("household", "registered_by"),
        pk=resident_pk,
    )
    if request.method == "POST":
        if not resident.is_proxy:
            raise PermissionDenied(
                _("Only for residents the leader registered and acts for (代录).")
            )
        return _save_talents(request, resident, "buildings:resident", pk, resident_pk)
    form = TalentForm(
        initial={
            "skills": ", ".join(
                t.skill.name for t in resident.talents.select_related("skill")
            ),
            "talent_visibility": resident.talent_visibility,
            "shows_party_badge": resident.shows_party_badge,
        }
    )
    return render(
        request,
        "buildings/resident_detail.html",
        {
            "building": access.building,
            "resident": resident,
            "form": form,
            "acts": resident.proxy_acts.select_related("actor")[:50],
            "resident_links": extensions.RESIDENT_LINKS,
        },
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
        {"announcement": announcement, "wechat_text": text},
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
