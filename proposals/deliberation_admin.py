"""Admin for 议事. Ballots, options and signatures are read-only: a count is never edited
by hand, and a secret poll's choices are only counts, never tied to a ballot.

A secret poll's counts are hidden here, from superusers too, until the poll has ended:
the ballot list and the audit log say which household voted when, so a count watched
while the poll is open would tell each household's choice."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from buildings.admin import ReadOnlyAdmin
from buildings.uploads import PhotoUploadsMixin
from proposals.deliberation_models import (
    Answer,
    Ballot,
    Choice,
    Consultation,
    ConsultationResponse,
    Convention,
    ConventionSignature,
    Meeting,
    MeetingAttendance,
    MeetingTask,
    Poll,
    PollOption,
    Proposal,
    ProposalComment,
    Question,
)

__all__ = [
    "BallotAdmin",
    "ConsultationAdmin",
    "ConsultationResponseAdmin",
    "ConventionAdmin",
    "ConventionSignatureAdmin",
    "MeetingAdmin",
    "PollAdmin",
    "ProposalAdmin",
    "ProposalCommentAdmin",
]


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


class AttendanceInline(admin.TabularInline):
    model = MeetingAttendance
    extra = 0
    raw_id_fields = ["resident", "recorded_by"]


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


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["title", "building", "opens_at", "closes_at"]
    list_filter = ["building__community", "building"]
    search_fields = ["title", "intro"]
    date_hierarchy = "opens_at"
    list_select_related = ["building"]
    raw_id_fields = ["building", "created_by"]
    inlines = [QuestionInline]


admin.site.register(Choice, list_display=["label", "question"], search_fields=["label"])


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    can_delete = False
    fields = ["question", "choice", "text"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ConsultationResponse)
class ConsultationResponseAdmin(ReadOnlyAdmin):
    list_display = ["consultation", "household", "origin", "entered_by", "created_at"]
    list_filter = ["origin", "consultation__building"]
    search_fields = ["consultation__title", "household__room"]
    date_hierarchy = "created_at"
    list_select_related = ["consultation", "household__building", "entered_by"]
    inlines = [AnswerInline]


class OptionInline(admin.TabularInline):
    model = PollOption
    extra = 0
    can_delete = False
    fields = ["label", "kind", "position", "secret_votes"]
    readonly_fields = ["secret_votes"]

    def has_add_permission(self, request, obj=None):
        return obj is None or not obj.ballots.exists()

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("poll")

    @admin.display(description=PollOption._meta.get_field("secret_count").verbose_name)
    def secret_votes(self, option):
        if option.pk is None or not option.poll.is_secret:
            return "—"
        if not option.poll.results_visible:
            return _("Hidden until the poll has ended")
        return option.secret_count


@admin.register(Poll)
class PollAdmin(admin.ModelAdmin):
    list_display = [
        "question",
        "building",
        "electorate",
        "is_secret",
        "opens_at",
        "closes_at",
        "outcome",
    ]
    list_filter = ["is_secret", "electorate", "outcome", "building__community"]
    search_fields = ["question", "proposal__title"]
    date_hierarchy = "opens_at"
    list_select_related = ["building"]
    raw_id_fields = ["building", "proposal", "created_by", "winner"]
    readonly_fields = [
        "closed_at",
        "closed_early_reason",
        "outcome",
        "winner",
        "household_count",
    ]
    inlines = [OptionInline]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.ballots.exists():
            # Once anyone voted, the rules of the poll are fixed.
            return [f.name for f in Poll._meta.fields]
        return self.readonly_fields


@admin.register(Ballot)
class BallotAdmin(ReadOnlyAdmin):
    """Who voted. For a secret poll the choice column is always empty, by design."""

    list_display = ["poll", "household", "resident", "origin", "entered_by", "choice"]
    list_filter = ["origin", "poll__is_secret", "poll__building"]
    search_fields = ["poll__question", "household__room"]
    list_select_related = [
        "poll",
        "household__building",
        "resident",
        "entered_by",
        "option",
    ]
    exclude = ["cast_at", "changed_at"]

    @admin.display(description=Ballot._meta.get_field("option").verbose_name)
    def choice(self, ballot):
        return "—" if ballot.poll.is_secret else ballot.option

    def get_fields(self, request, obj=None):
        fields = ["poll", "household", "resident", "origin", "entered_by", "slip_photo"]
        if obj is not None and not obj.poll.is_secret:
            fields += ["option", "cast_at", "changed_at"]
        return fields

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)


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
