from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Issues and decisions")

    def ready(self):
        from auditlog.registry import auditlog

        from proposals import models

        # The reporter is never written to the audit log: it would reveal anonymous reporters.
        auditlog.register(models.Issue, exclude_fields=["reporter", "updated_at"])
        auditlog.register(models.IssueComment, exclude_fields=["author"])
        auditlog.register(models.IssueSupport)

        from proposals.deliberation.audit import register_deliberation_models

        register_deliberation_models()
        register_with_the_root()


def register_with_the_root() -> None:
    """What the root and core need to know of this app (they name no feature app)."""
    from buildings.extensions import register_nav_link, register_private_media
    from buildings.notify import register_kinds
    from core.registry import register_restore_check

    register_nav_link("proposals:issues", _("Issues"), "hand")
    register_nav_link("proposals:index", _("Decide together"), "vote")
    # Paper ballot slips are shown by the poll's own pages; /media/ only to admin viewers.
    register_private_media("ballot-slips", "proposals.view_ballot")
    register_restore_check("recount_polls")
    register_kinds(
        {
            "issue_status": _("Status changes of issues I reported or support"),
            "issue_fixed_check": _("Asked whether an issue I follow is really fixed"),
            "issue_followed": _("News on an issue I reported anonymously"),
            "issue_comment": _("New comments on issues I reported or support"),
            "issue_new": _("A new issue is reported in my building (leaders and team)"),
            "issue_reopened": _(
                "A resident says an issue is not fixed (leaders and team)"
            ),
            "issue_overdue": _("Issues nobody answered in time (branch staff)"),
            "proposal_discussion": _("A proposal is open for discussion"),
            "proposal_followed": _("News on a matter I raised or co-signed"),
            "proposal_raised": _(
                "A resident raises a matter, or it gathers enough co-signatures "
                "(leaders and team)"
            ),
            "meeting": _("A council meeting is called"),
            "meeting_task": _("A follow-up task from a meeting is mine"),
            "poll_open": _("A vote opens in my building"),
            "poll_closing": _("A vote closes soon and my household has not voted"),
            "poll_closed": _("The result of a vote"),
            "poll_changed": _(
                "A vote or consultation in my building is changed or cancelled"
            ),
        }
    )
