from django.contrib import admin

from core.uploads import PhotoUploadsMixin
from gardens.models import Adoption, GardenSpace


class AdoptionInline(admin.TabularInline):
    model = Adoption
    extra = 0
    fields = ["season", "household", "shown_as", "status", "created_at"]
    readonly_fields = ["season", "household", "status", "created_at"]
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False  # adopting is guarded by the service (one household a season)


@admin.register(GardenSpace)
class GardenSpaceAdmin(PhotoUploadsMixin, admin.ModelAdmin):
    list_display = ["name", "place", "building", "created_at"]
    list_filter = ["building__community", "building"]
    search_fields = ["name", "place", "notes"]
    date_hierarchy = "created_at"
    list_select_related = ["building"]
    raw_id_fields = ["building", "rota", "created_by"]
    inlines = [AdoptionInline]


@admin.register(Adoption)
class AdoptionAdmin(admin.ModelAdmin):
    """Who adopts what is decided in the app (one household a season, under a lock)."""

    list_display = ["space", "season", "household", "shown_as", "status", "created_at"]
    list_filter = ["status", "season", "space__building__community"]
    search_fields = ["space__name", "household__room"]
    date_hierarchy = "created_at"
    list_select_related = ["space", "household__building"]
    raw_id_fields = ["space", "household", "adopted_by", "ended_by"]
    readonly_fields = [
        "space",
        "household",
        "season",
        "adopted_by",
        "status",
        "ended_at",
        "ended_by",
        "created_at",
    ]

    def has_add_permission(self, request):
        return False
