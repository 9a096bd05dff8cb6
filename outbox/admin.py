from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from buildings.admin import (
    UNLISTED_NOTIFICATION_KINDS,
    KeepsSecrets,
    NotificationKindFilter,
    ReadOnlyAdmin,
    notification_kind,
)
from outbox.models import Delivery, ScheduledRun, SmsBudget, SmsChoice, WecomRobot


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    """Every SMS and group post, with its outcome; read-only (the worker writes them)."""

    list_display = [
        "created_at",
        "channel",
        notification_kind,
        "status",
        "attempts",
        "short_text",
        "building",
        "community",
        "last_error",
        "sent_at",
    ]
    list_filter = ["channel", "status", NotificationKindFilter]
    search_fields = ["text", "last_error"]
    date_hierarchy = "created_at"
    list_select_related = ["building", "community"]
    exclude = ["phone"]  # the masked number is shown instead

    @admin.display(description=_("text"))
    def short_text(self, obj):
        return obj.text[:40]

    @admin.display(description=_("phone"))
    def masked_phone(self, obj):
        return f"{obj.phone[:3]}****{obj.phone[-4:]}" if obj.phone else ""

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "masked_phone"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.exclude(kind__in=UNLISTED_NOTIFICATION_KINDS)


@admin.register(WecomRobot)
class WecomRobotAdmin(KeepsSecrets, admin.ModelAdmin):
    list_display = ["building", "is_active", "updated_by", "updated_at"]
    list_filter = ["is_active"]
    list_select_related = ["building", "updated_by"]
    raw_id_fields = ["building", "updated_by"]
    search_fields = ["building__name"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "webhook_url":
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(SmsBudget)
class SmsBudgetAdmin(admin.ModelAdmin):
    list_display = ["community", "monthly_limit"]
    list_select_related = ["community"]


@admin.register(SmsChoice)
class SmsChoiceAdmin(KeepsSecrets, admin.ModelAdmin):
    list_display = ["user", notification_kind]
    list_filter = [NotificationKindFilter]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    search_fields = ["user__phone", "user__name"]


@admin.register(ScheduledRun)
class ScheduledRunAdmin(ReadOnlyAdmin):
    list_display = ["name", "last_queued_at"]
    actions = ["run_now"]

    @admin.action(description=_("Queue the selected jobs now"))
    def run_now(self, request, queryset):
        from outbox.tasks import run_job

        for run in queryset:
            run_job.enqueue(run.name)
        messages.success(request, _("The jobs are queued for the worker."))
