"""Admin for council meetings and their follow-up tasks."""

from django.contrib import admin

from core.uploads import PhotoUploadsMixin
from proposals.deliberation.meetings.models import (
    Meeting,
    MeetingAttendance,
    MeetingTask,
)


class AttendanceInline(admin.TabularInline):
    model = MeetingAttendance
    extra = 0
    raw_id_fields = ["resident", "staff", "recorded_by"]


class TaskInline(admin.TabularInline):
    model = MeetingTask
    extra = 0
    raw_id_fields = ["owner", "done_by"]


@admin.register(Meeting)
class MeetingAdmin(PhotoUploadsMixin, admin.ModelAdmin):
    list_display = ["title", "building", "starts_at", "place"]
    list_filter = ["building__community", "building"]
    search_fields = ["title", "place", "minutes"]
    date_hierarchy = "starts_at"
    list_select_related = ["building"]
    raw_id_fields = ["building", "created_by"]
    filter_horizontal = ["agenda"]
    inlines = [AttendanceInline, TaskInline]


@admin.register(MeetingTask)
class MeetingTaskAdmin(admin.ModelAdmin):
    """Follow-up tasks across meetings: what is still open, and whose it is."""

    list_display = ["title", "meeting", "owner", "due_on", "done_at"]
    list_filter = [("done_at", admin.EmptyFieldListFilter), "meeting__building"]
    search_fields = ["title", "owner__name", "meeting__building__number"]
    date_hierarchy = "created_at"
    list_select_related = ["meeting__building", "owner"]
    raw_id_fields = ["meeting", "owner", "done_by"]
