from django.contrib import admin

from activities.models import Activity, RecapPhoto, Registration, Shift, Task
from core.uploads import PhotoUploadsMixin


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    fields = ["resident", "adults", "children", "status", "attendance", "created_at"]
    readonly_fields = ["created_at"]
    raw_id_fields = ["resident"]
    show_change_link = True


@admin.register(Activity)
class ActivityAdmin(PhotoUploadsMixin, admin.ModelAdmin):
    list_display = [
        "title",
        "kind",
        "building",
        "community",
        "starts_at",
        "capacity",
        "signup_deadline",
    ]
    list_filter = ["kind", "community", "building", "counts_as_volunteering"]
    search_fields = ["title", "place", "text"]
    date_hierarchy = "starts_at"
    list_select_related = ["building", "community"]
    raw_id_fields = ["organiser", "created_by"]
    inlines = [RegistrationInline]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    """Capacity and the waiting list are kept by the services: change seats in the app."""

    list_display = [
        "resident",
        "activity",
        "adults",
        "children",
        "status",
        "attendance",
        "created_at",
    ]
    list_filter = ["status", "attendance", "activity__community"]
    search_fields = ["resident__name", "activity__title"]
    date_hierarchy = "created_at"
    list_select_related = ["resident", "activity"]
    raw_id_fields = ["activity", "resident", "household", "registered_by"]
    readonly_fields = ["status", "confirmed_at", "cancelled_at", "created_at"]


@admin.register(RecapPhoto)
class RecapPhotoAdmin(PhotoUploadsMixin, admin.ModelAdmin):
    list_display = ["activity", "caption", "uploaded_by", "created_at"]
    list_filter = ["activity__community"]
    search_fields = ["caption", "activity__title"]
    date_hierarchy = "created_at"
    list_select_related = ["activity", "uploaded_by"]
    raw_id_fields = ["activity", "uploaded_by"]


class ShiftInline(admin.TabularInline):
    model = Shift
    extra = 0
    fields = ["starts_at", "ends_at", "volunteer", "swap_wanted", "done_at"]
    raw_id_fields = ["volunteer"]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "building", "created_at"]
    list_filter = ["kind", "building__community", "building"]
    search_fields = ["title", "description", "place"]
    date_hierarchy = "created_at"
    list_select_related = ["building"]
    raw_id_fields = ["created_by"]
    inlines = [ShiftInline]


@admin.register(Shift)
class ShiftAdmin(admin.ModelAdmin):
    list_display = [
        "task",
        "starts_at",
        "ends_at",
        "volunteer",
        "swap_wanted",
        "done_at",
    ]
    list_filter = ["task__building", "swap_wanted"]
    search_fields = ["task__title", "volunteer__name"]
    date_hierarchy = "starts_at"
    list_select_related = ["task", "volunteer"]
    raw_id_fields = ["task", "volunteer", "done_by"]
