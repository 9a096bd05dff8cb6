"""Admin for polls. Ballots and options are read-only: a count is never edited by hand, and
a secret poll's choices are only counts, never tied to a ballot.

A secret poll's counts are hidden here, from superusers too, until the poll has ended:
the ballot list and the audit log say which household voted when, so a count watched
while the poll is open would tell each household's choice.
"""

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from buildings.admin import ReadOnlyAdmin
from core.uploads import PhotoUploadsMixin
from proposals.deliberation.polls.models import Ballot, Poll, PollOption
from proposals.deliberation.polls.services import outcome_words


class OptionInline(PhotoUploadsMixin, admin.TabularInline):
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
        "result",
    ]
    list_filter = ["is_secret", "electorate", "outcome", "building__community"]
    search_fields = ["question", "proposal__title"]
    date_hierarchy = "opens_at"
    list_select_related = ["building", "winner"]
    raw_id_fields = ["building", "proposal", "created_by", "winner"]
    readonly_fields = [
        "closed_at",
        "closed_early_reason",
        "outcome",
        "winner",
        "household_count",
        "adult_count",
    ]
    inlines = [OptionInline]

    def get_queryset(self, request):
        candidates = PollOption.objects.filter(
            poll=OuterRef("pk"), kind=PollOption.Kind.CANDIDATE
        )
        return super().get_queryset(request).annotate(is_election=Exists(candidates))

    @admin.display(description=_("result"), ordering="outcome")
    def result(self, poll):
        """In the words of the poll's page ("elected", "passed"), not the stored label."""
        if not poll.outcome:
            return "—"
        return outcome_words(
            poll.outcome,
            is_election=poll.is_election,
            winner=poll.winner.text if poll.winner else None,
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.ballots.exists():
            # Once anyone voted, the rules of the poll are fixed.
            return [f.name for f in Poll._meta.fields]
        return self.readonly_fields


# The ballot list's filter for open (not secret) polls, as the admin writes it.
OPEN_POLLS_ONLY = ("poll__is_secret__exact", "0")
WHEN_FIELDS = ("cast_at", "changed_at")


def lists_open_polls_only(request) -> bool:
    name, value = OPEN_POLLS_ONLY
    return request is not None and request.GET.getlist(name) == [value]


class BallotChangeList(ChangeList):
    """The date drill-down only on a list of open polls' ballots (see BallotAdmin)."""

    def __init__(self, request, model, list_display, links, filters, dates, *args):
        if not lists_open_polls_only(request):
            dates = None
        super().__init__(request, model, list_display, links, filters, dates, *args)


@admin.register(Ballot)
class BallotAdmin(ReadOnlyAdmin):
    """Who voted. For a secret poll the choice column is always empty, by design.

    When a ballot was cast is shown, drilled into by date and filtered on only for
    open polls, once the list is narrowed to them (the "secret ballot: No" filter). A
    secret ballot's time is never shown: the days on which each household voted, next
    to counts seen at two moments (a backup, a screen shared while counting), would
    tell which way the households that voted in between chose. For the same reason the
    audit trail keeps no entry for a secret ballot (proposals.deliberation.audit).
    """

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
    date_hierarchy = "cast_at"

    def get_changelist(self, request, **kwargs):
        return BallotChangeList

    def lookup_allowed(self, lookup, value, request=None):
        if lookup.split("__")[0] in WHEN_FIELDS and not lists_open_polls_only(request):
            return False
        return super().lookup_allowed(lookup, value, request)

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
