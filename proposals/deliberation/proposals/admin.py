"""Admin for proposals and their comments."""

from django.contrib import admin

from proposals.deliberation.proposals.models import Proposal, ProposalComment


class CommentInline(admin.TabularInline):
    model = ProposalComment
    extra = 0
    fields = ["author_name", "text", "created_at"]
    readonly_fields = ["created_at"]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "title",
        "building",
        "kind",
        "status",
        "decided_at",
        "created_at",
    ]
    list_filter = ["status", "kind", "building__community"]
    search_fields = ["title", "body", "building__number"]
    date_hierarchy = "created_at"
    list_select_related = ["building"]
    raw_id_fields = ["building", "author"]
    inlines = [CommentInline]


@admin.register(ProposalComment)
class ProposalCommentAdmin(admin.ModelAdmin):
    list_display = ["author_name", "proposal", "created_at"]
    list_filter = ["proposal__building"]
    search_fields = ["text", "author_name"]
    date_hierarchy = "created_at"
    list_select_related = ["proposal"]
    raw_id_fields = ["proposal", "author"]
