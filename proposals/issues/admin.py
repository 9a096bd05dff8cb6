"""Admin for issue reports.

Anonymous reporters: no list, search or filter here ever shows or matches them, and no
admin URL may look up, filter or order by the reporter from either side (see
buildings.admin.SECRET_RELATIONS). Only the change page of an anonymous issue shows the
reporter, only to staff granted the `buildings.view_anonymous_reporter` permission (being
a superuser is not enough: a superuser operates the site), and each such look is
recorded (IssueReporterLook).
"""

from django.contrib import admin
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from buildings.admin import (
    SECRET_RELATIONS,
    UNLISTED_NOTIFICATION_KINDS,
    KeepsSecrets,
    ReadOnlyAdmin,
)
from core.uploads import PhotoUploadsMixin
from proposals.issues import services
from proposals.issues.models import (
    Issue,
    IssueComment,
    IssueEvent,
    IssuePhoto,
    IssueReporterLook,
    IssueSupport,
)

REVEAL_PERMISSION = "buildings.view_anonymous_reporter"
SECRET_RELATIONS.add("proposals.Issue.reporter")
UNLISTED_NOTIFICATION_KINDS.add(services.FOLLOWED_KIND)


def may_reveal(user) -> bool:
    """Staff granted the permission, themselves or through a group (not by superuser
    status alone)."""
    if not (user.is_active and user.is_staff):
        return False
    app_label, codename = REVEAL_PERMISSION.split(".")
    return Permission.objects.filter(
        Q(user=user) | Q(group__user=user),
        content_type__app_label=app_label,
        codename=codename,
    ).exists()


class OverdueFilter(admin.SimpleListFilter):
    title = _("response")
    parameter_name = "response"

    def lookups(self, request, model_admin):
        return [("overdue", _("Overdue (no response)")), ("answered", _("Answered"))]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.overdue()
        if self.value() == "answered":
            return queryset.filter(first_response_at__isnull=False)
        return queryset


class IssueEventInline(admin.TabularInline):
    model = IssueEvent
    extra = 0
    can_delete = False
    fields = [
        "created_at",
        "kind",
        "from_status",
        "to_status",
        "from_category",
        "to_category",
        "actor_name",
        "actor_role",
        "reason",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class IssuePhotoInline(admin.TabularInline):
    model = IssuePhoto
    extra = 0
    fields = ["kind", "image", "created_at"]
    readonly_fields = ["kind", "image", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Issue)
class IssueAdmin(KeepsSecrets, admin.ModelAdmin):
    list_display = [
        "title",
        "building",
        "category",
        "status",
        "reporter_shown",
        "created_at",
        "first_response_at",
    ]
    list_filter = [
        OverdueFilter,
        "status",
        "category",
        "is_anonymous",
        ("hidden_at", admin.EmptyFieldListFilter),
        ("merged_into", admin.EmptyFieldListFilter),
        "building__community",
        "building",
    ]
    # Never search by reporter: a match would reveal who filed an anonymous report.
    search_fields = ["title", "text", "building__number"]
    date_hierarchy = "created_at"
    list_select_related = ["building", "reporter"]
    inlines = [IssuePhotoInline, IssueEventInline]
    readonly_fields = [
        "reporter_shown",
        "entered_by",
        "is_anonymous",
        "first_response_at",
        "resolved_at",
        "created_at",
        # Merging and hiding go through the leader's page, which keeps the history.
        "merged_into",
        "hidden_at",
        "hidden_reason",
        "hidden_by",
    ]

    def get_fields(self, request, obj=None):
        fields = [
            "building",
            "reporter_shown",
            "entered_by",
            "is_anonymous",
            "category",
            "title",
            "text",
            "location",
            "floor",
            "status",
            "satisfaction",
            "first_response_at",
            "resolved_at",
            "created_at",
            "merged_into",
            "hidden_at",
            "hidden_reason",
            "hidden_by",
        ]
        if obj is not None and obj.is_anonymous and may_reveal(request.user):
            fields.insert(2, "revealed_reporter")
        return fields

    def get_readonly_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if obj is not None:
            fields += ["building", "status"]  # status moves only through the timeline
            if obj.is_anonymous and may_reveal(request.user):
                fields.append("revealed_reporter")
        return fields

    def has_add_permission(self, request):
        return False  # issues are filed in the app, where the rules live

    @admin.display(description=_("reporter"))
    def reporter_shown(self, obj):
        if obj.is_anonymous:
            return _("Anonymous")
        return obj.reporter.name if obj.reporter_id else "—"

    @admin.display(description=_("reporter (anonymous, audited)"))
    def revealed_reporter(self, obj):
        reporter = obj.reporter
        if reporter is None:
            return "—"
        phone = reporter.user.phone if reporter.user_id else reporter.contact_phone
        return f"{reporter.name} · {reporter.household} · {phone}"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if (
            request.method == "GET"
            and obj is not None
            and obj.is_anonymous
            and may_reveal(request.user)
        ):
            services.record_reporter_look(issue=obj, viewer=request.user)
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(IssueEvent)
class IssueEventAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "issue",
        "kind",
        "from_status",
        "to_status",
        "actor_shown",
        "actor_role",
    ]
    list_filter = ["kind", "to_status", "actor_role"]
    search_fields = ["issue__title", "reason"]
    date_hierarchy = "created_at"
    list_select_related = ["issue"]
    fields = [
        "issue",
        "kind",
        "from_status",
        "to_status",
        "from_category",
        "to_category",
        "actor_shown",
        "actor_role",
        "reason",
        "created_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("by"))
    def actor_shown(self, obj):
        return obj.actor_name or _("Reporter (anonymous)")


@admin.register(IssueComment)
class IssueCommentAdmin(KeepsSecrets, admin.ModelAdmin):
    list_display = ["created_at", "issue", "author_shown", "author_role", "text"]
    list_filter = ["author_role"]
    search_fields = ["issue__title", "text"]
    date_hierarchy = "created_at"
    list_select_related = ["issue"]
    fields = ["issue", "author_shown", "author_role", "reply_to", "text", "created_at"]
    readonly_fields = ["issue", "author_shown", "author_role", "reply_to", "created_at"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("author"))
    def author_shown(self, obj):
        return obj.author_name or _("Reporter (anonymous)")


@admin.register(IssueSupport)
class IssueSupportAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "issue", "resident"]
    search_fields = ["issue__title", "resident__name"]
    list_filter = ["issue__building"]
    date_hierarchy = "created_at"
    list_select_related = ["issue", "resident__household__building"]


@admin.register(IssuePhoto)
class IssuePhotoAdmin(PhotoUploadsMixin, KeepsSecrets, admin.ModelAdmin):
    list_display = ["created_at", "issue", "kind"]
    list_filter = ["kind"]
    search_fields = ["issue__title"]
    date_hierarchy = "created_at"
    list_select_related = ["issue"]
    fields = ["issue", "kind", "image", "created_at"]
    readonly_fields = ["issue", "kind", "created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(IssueReporterLook)
class IssueReporterLookAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "viewer", "issue"]
    # Who looked (only people who did), and in which building: never the reporter.
    list_filter = [
        ("viewer", admin.RelatedOnlyFieldListFilter),
        "issue__building__community",
        "issue__building",
    ]
    search_fields = ["viewer__name", "issue__title"]
    date_hierarchy = "created_at"
    list_select_related = ["viewer", "issue"]
