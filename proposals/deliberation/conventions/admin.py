"""Admin for conventions; signatures are read-only."""

from django.contrib import admin

from buildings.admin import ReadOnlyAdmin
from proposals.deliberation.conventions.models import Convention, ConventionSignature


@admin.register(Convention)
class ConventionAdmin(admin.ModelAdmin):
    list_display = ["title", "building", "version", "adopted_at"]
    list_filter = ["building__community", "building"]
    search_fields = ["title", "text"]
    date_hierarchy = "adopted_at"
    list_select_related = ["building"]
    raw_id_fields = ["building", "proposal", "adopted_by_poll"]


@admin.register(ConventionSignature)
class ConventionSignatureAdmin(ReadOnlyAdmin):
    list_display = ["convention", "household", "signer_name", "origin", "created_at"]
    list_filter = ["origin", "convention__building"]
    search_fields = ["signer_name", "household__room"]
    date_hierarchy = "created_at"
    list_select_related = ["convention", "household__building"]
