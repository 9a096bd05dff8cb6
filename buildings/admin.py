from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models.constants import LOOKUP_SEP
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from buildings.models import (
    Announcement,
    Building,
    ChangeNote,
    Community,
    Household,
    Notification,
    NotificationMute,
    PhoneCode,
    ProxyAct,
    Resident,
    Skill,
    StaffPost,
    Talent,
    TalentInvitation,
    TeamEvent,
    Town,
    User,
)
from buildings.privacy import membership_ended
from core.uploads import PhotoUploadsMixin

# Relations no admin URL may filter, order or search by, from either side: a match
# would say who filed an anonymous report (?reporter=<id> on issues, or
# ?reported_issues=<id> on residents). Feature apps add theirs ("app_label.Model.field").
SECRET_RELATIONS: set[str] = set()
# Notification kinds the admin never lists: a message only an anonymous reporter gets
# would, next to the other messages of that moment, single them out.
UNLISTED_NOTIFICATION_KINDS: set[str] = set()


@admin.display(description=_("kind"), ordering="kind")
def notification_kind(obj) -> str:
    """A notification's kind as people read it (what they may switch off), not its code."""
    from buildings.notify import kind_label

    return kind_label(obj.kind)


class NotificationKindFilter(admin.SimpleListFilter):
    """Filter by a notification's kind, listed by the names people read, not the codes."""

    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        from buildings.notify import ALWAYS_DELIVERED, KINDS

        kinds = [
            (k, v)
            for k, v in (KINDS | ALWAYS_DELIVERED).items()
            if k not in UNLISTED_NOTIFICATION_KINDS
        ]
        return sorted(kinds, key=lambda kind: str(kind[1]))

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(kind=self.value())
        return queryset


def reaches_secret(model, lookup: str) -> bool:
    """Whether a lookup path (``reporter__user__phone``) passes a secret relation."""
    for part in lookup.split(LOOKUP_SEP):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False  # a transform or comparison (``__startswith``): path ends
        if not field.is_relation:
            return False
        forward = field if field.concrete else field.remote_field
        if f"{forward.model._meta.label}.{forward.name}" in SECRET_RELATIONS:
            return True
        model = field.related_model
        if model is None:
            return False
    return False


class KeepsSecrets:
    """Refuse admin lookups (list filters typed into the URL, ``_changelist_filters``,
    raw-id popups) that pass a secret relation; Django answers such a URL with 400."""

    def lookup_allowed(self, lookup, value, request=None):
        if reaches_secret(self.model, lookup):
            return False
        return super().lookup_allowed(lookup, value, request)


class ReadOnlyAdmin(KeepsSecrets, admin.ModelAdmin):
    """For append-only records: browsable, never changed by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OnlySuperusersChange:
    """Who is staff where, and the site's structure, are set by superusers; staff look."""

    def has_add_permission(self, request, *args):
        return request.user.is_superuser and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)


class StaffPostInline(OnlySuperusersChange, admin.TabularInline):
    model = StaffPost
    extra = 0
    fields = ["community", "town", "created_at"]
    readonly_fields = ["created_at"]


@admin.register(User)
class UserAdmin(PhotoUploadsMixin, KeepsSecrets, DjangoUserAdmin):
    ordering = ["-created_at"]
    list_display = ["phone", "name", "is_staff", "is_active", "created_at"]
    list_filter = ["is_staff", "is_active"]
    search_fields = ["phone", "name"]
    readonly_fields = ["created_at", "last_login"]
    fieldsets = [
        (None, {"fields": ["phone", "name", "password", "avatar"]}),
        (_("Preferences"), {"fields": ["language", "large_text"]}),
        (
            _("Permissions"),
            {
                "fields": [
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ]
            },
        ),
        (_("Dates"), {"fields": ["last_login", "created_at"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["phone", "name", "password1", "password2"],
            },
        )
    ]
    inlines = [StaffPostInline]

    def get_inlines(self, request, obj):
        return (
            super().get_inlines(request, obj) if obj is not None else []
        )  # added later

    def get_readonly_fields(self, request, obj=None):
        """Only a superuser makes someone staff or gives permissions."""
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_staff", "is_superuser", "groups", "user_permissions"]
        return fields

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "phone":  # spaces, dashes, +86, full-width digits read
            from buildings.forms import PhoneField

            return PhoneField(label=db_field.verbose_name, help_text=db_field.help_text)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Town)
class TownAdmin(OnlySuperusersChange, admin.ModelAdmin):
    list_display = ["name", "district", "created_at"]
    search_fields = ["name", "district"]


@admin.register(StaffPost)
class StaffPostAdmin(OnlySuperusersChange, admin.ModelAdmin):
    list_display = ["user", "community", "town", "created_at"]
    list_filter = ["town", "community"]
    search_fields = ["user__name", "user__phone", "community__name", "town__name"]
    list_select_related = ["user", "community", "town"]
    raw_id_fields = ["user"]


class CommunityStaffInline(OnlySuperusersChange, admin.TabularInline):
    model = StaffPost
    fk_name = "community"
    extra = 0
    fields = ["user", "created_at"]
    readonly_fields = ["created_at"]
    raw_id_fields = ["user"]


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["name", "town", "district", "created_at"]
    list_filter = ["town"]
    search_fields = ["name", "town__name", "district"]
    list_select_related = ["town"]
    inlines = [CommunityStaffInline]

    def has_add_permission(self, request):
        return request.user.is_superuser and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)


@admin.register(Building)
class BuildingAdmin(PhotoUploadsMixin, admin.ModelAdmin):
    list_display = ["number", "name", "community", "is_pilot", "created_at"]
    list_filter = ["community", "is_pilot"]
    search_fields = ["number", "name", "community__name"]
    list_select_related = ["community"]


class ResidentInline(admin.TabularInline):
    model = Resident
    fk_name = "household"
    extra = 0
    fields = ["name", "user", "status", "role", "is_adult"]
    raw_id_fields = ["user"]
    show_change_link = True


@admin.register(Household)
class HouseholdAdmin(KeepsSecrets, admin.ModelAdmin):
    list_display = ["room", "building", "created_at"]
    list_filter = ["building__community", "building"]
    search_fields = ["room", "building__number", "building__name"]
    list_select_related = ["building"]
    inlines = [ResidentInline]


class TalentInline(admin.TabularInline):
    model = Talent
    extra = 0
    autocomplete_fields = ["skill"]


@admin.register(Resident)
class ResidentAdmin(KeepsSecrets, admin.ModelAdmin):
    list_display = [
        "name",
        "household",
        "status",
        "role",
        "is_party_member",
        "registered_by",
        "created_at",
    ]
    list_filter = [
        "status",
        "role",
        "is_party_member",
        "household__building__community",
        "household__building",
    ]
    search_fields = [
        "name",
        "user__phone",
        "household__room",
        "household__building__number",
    ]
    list_select_related = ["household__building", "registered_by"]
    raw_id_fields = ["user", "household", "decided_by", "registered_by"]
    date_hierarchy = "created_at"
    inlines = [TalentInline]
    actions = ["approve_selected"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        gone = (Resident.Status.LEFT, Resident.Status.REJECTED)
        if change and "status" in form.changed_data and obj.status in gone:
            # Places and shifts held in the building go back, as when leaving the app.
            membership_ended(resident=obj, by=request.user)

    @admin.action(description=_("Approve the selected pending requests"))
    def approve_selected(self, request, queryset):
        from buildings.services import decide_join_request

        count, refusals = 0, []
        for resident in queryset.filter(status=Resident.Status.PENDING):
            try:
                decide_join_request(
                    resident=resident, decided_by=request.user, approve=True
                )
            except ValidationError as error:  # decided by someone else meanwhile
                refusals.extend(error.messages)
            else:
                count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d request approved.", "%(count)d requests approved.", count
            )
            % {"count": count},
        )
        for refusal in dict.fromkeys(refusals):
            self.message_user(request, refusal, messages.WARNING)


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    site_wide = True  # the list of skills names no one: every staff member may use it

    list_display = ["name", "created_at"]
    search_fields = ["name"]


@admin.register(Talent)
class TalentAdmin(admin.ModelAdmin):
    list_display = ["resident", "skill", "offer"]
    list_filter = ["skill"]
    search_fields = ["resident__name", "skill__name", "offer"]
    list_select_related = ["resident__household__building", "skill"]
    raw_id_fields = ["resident"]


@admin.register(TalentInvitation)
class TalentInvitationAdmin(ReadOnlyAdmin):
    """Leaders' requests to list a resident as a talent, and the answers (the app writes
    them: a talent is listed only with the resident's own yes)."""

    list_display = ["created_at", "resident", "skill", "status", "proposed_by"]
    list_filter = ["status", "resident__household__building__community"]
    search_fields = ["resident__name", "skill__name"]
    date_hierarchy = "created_at"
    list_select_related = ["resident__household__building", "skill", "proposed_by"]


@admin.register(TeamEvent)
class TeamEventAdmin(ReadOnlyAdmin):
    """The history of roles, talents and party badges the leader sees per building."""

    list_display = ["created_at", "building", "resident", "kind", "detail", "actor"]
    list_filter = ["kind", "building__community"]
    search_fields = ["resident__name", "detail", "actor__name"]
    date_hierarchy = "created_at"
    list_select_related = ["building", "resident", "actor"]


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "community",
        "building",
        "pinned",
        "published_at",
        "author",
    ]
    list_filter = ["community", "building", "pinned"]
    search_fields = ["title", "body"]
    date_hierarchy = "published_at"
    list_select_related = ["community", "building", "author"]
    raw_id_fields = ["author"]


@admin.register(ProxyAct)
class ProxyActAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor", "resident", "what_was_done"]
    # Who acted (only people who did), and where.
    list_filter = [
        ("actor", admin.RelatedOnlyFieldListFilter),
        "resident__household__building__community",
        "resident__household__building",
    ]
    search_fields = ["resident__name", "actor__name", "action"]
    date_hierarchy = "created_at"
    list_select_related = ["actor", "resident__household__building"]

    @admin.display(description=_("what was done"), ordering="action")
    def what_was_done(self, act):
        return act.said  # in the reader's language


@admin.register(ChangeNote)
class ChangeNoteAdmin(ReadOnlyAdmin):
    """The visible history lines of edits, cancellations, merges and hidings."""

    list_display = ["created_at", "action", "content_type", "object_id", "by", "reason"]
    list_filter = ["action", "content_type", "building__community"]
    search_fields = ["reason"]
    date_hierarchy = "created_at"
    list_select_related = ["by", "content_type"]


@admin.register(PhoneCode)
class PhoneCodeAdmin(ReadOnlyAdmin):
    """One-time codes asked for and issued: to answer "I got no code" and to see abuse.

    The code itself is stored only as a hash and never shown.
    """

    list_display = ["created_at", "phone", "purpose", "sent", "used_at", "issued_by"]
    list_filter = ["purpose", "sent"]
    search_fields = ["phone"]
    date_hierarchy = "created_at"
    exclude = ["code_hash"]
    list_select_related = ["issued_by"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "recipient", notification_kind, "text", "read_at"]
    list_filter = [NotificationKindFilter]
    search_fields = ["recipient__phone", "text"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.exclude(kind__in=UNLISTED_NOTIFICATION_KINDS)


@admin.register(NotificationMute)
class NotificationMuteAdmin(KeepsSecrets, admin.ModelAdmin):
    list_display = ["user", notification_kind, "created_at"]
    list_filter = [NotificationKindFilter]
    search_fields = ["user__phone", "user__name"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


# django-auditlog's own admin searches the actor's first and last name, which this
# User does not have: any search there was a server error.
admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class AuditLogEntryAdmin(KeepsSecrets, LogEntryAdmin):
    search_fields = ["object_repr", "changes_text", "actor__name", "actor__phone"]
