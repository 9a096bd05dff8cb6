"""Admin for matters residents raise: the thresholds, the co-signatures (read-only: each is
a household's act), and the photos (through the app's photo pipeline)."""

from django.contrib import admin

from buildings.admin import ReadOnlyAdmin
from core.uploads import PhotoUploadsMixin
from proposals.deliberation.raising.models import (
    ProposalCosign,
    ProposalPhoto,
    RaiseRule,
)


@admin.register(RaiseRule)
class RaiseRuleAdmin(admin.ModelAdmin):
    list_display = ["building", "threshold", "updated_by", "updated_at"]
    list_filter = ["building__community"]
    search_fields = ["building__number", "building__name"]
    list_select_related = ["building", "updated_by"]
    raw_id_fields = ["building", "updated_by"]


@admin.register(ProposalCosign)
class ProposalCosignAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "household", "resident", "created_at"]
    list_filter = ["proposal__building__community", "proposal__building"]
    search_fields = ["proposal__title", "household__room"]
    date_hierarchy = "created_at"
    list_select_related = ["proposal", "household", "resident"]


@admin.register(ProposalPhoto)
class ProposalPhotoAdmin(PhotoUploadsMixin, admin.ModelAdmin):
    list_display = ["proposal", "created_at"]
    list_filter = ["proposal__building__community"]
    search_fields = ["proposal__title"]
    date_hierarchy = "created_at"
    list_select_related = ["proposal"]
    raw_id_fields = ["proposal"]
