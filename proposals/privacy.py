"""Issue reports' and deliberation's part of a person's data export and of leaving.

Everything a person contributed stays and keeps counting (reports, "me too", ballots,
signatures, answers); only the names written onto those rows are replaced. A secret
ballot's export says that the household voted, never what.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from buildings.wording import FORMER_RESIDENT
from proposals.deliberation.consultations.models import ConsultationResponse
from proposals.deliberation.conventions.models import ConventionSignature
from proposals.deliberation.polls.models import Ballot
from proposals.deliberation.proposals.models import ProposalComment
from proposals.issues.models import Issue, IssueComment, IssueEvent, IssueSupport


def export_user_data(user) -> dict:
    mine = Q(resident__user=user)
    return {
        "issues_reported": [
            {
                "title": issue.title,
                "status": issue.status,
                "anonymous": issue.is_anonymous,
                "reported_at": issue.created_at.isoformat(),
            }
            for issue in Issue.objects.filter(reporter__user=user)
        ],
        "me_too": [
            s.issue.title
            for s in IssueSupport.objects.filter(mine).select_related("issue")
        ],
        "issue_comments": [
            {"issue": c.issue.title, "text": c.text, "at": c.created_at.isoformat()}
            for c in IssueComment.objects.filter(author=user).select_related("issue")
        ],
        "proposal_comments": [
            {
                "proposal": c.proposal.title,
                "text": c.text,
                "at": c.created_at.isoformat(),
            }
            for c in ProposalComment.objects.filter(author=user).select_related(
                "proposal"
            )
        ],
        "ballots": [
            {
                "poll": ballot.poll.question,
                "choice": ""
                if ballot.poll.is_secret
                else (ballot.option.text if ballot.option_id else ""),
                "secret": ballot.poll.is_secret,
                "origin": ballot.origin,
            }
            for ballot in Ballot.objects.filter(mine).select_related("poll", "option")
        ],
        "consultations_answered": [
            r.consultation.title
            for r in ConsultationResponse.objects.filter(mine).select_related(
                "consultation"
            )
        ],
        "convention_signatures": [
            {"version": s.convention.version, "name": s.signer_name}
            for s in ConventionSignature.objects.filter(mine).select_related(
                "convention"
            )
        ],
    }


def anonymise_user(user) -> None:
    placeholder = _(FORMER_RESIDENT)
    IssueEvent.objects.filter(actor=user).update(actor_name=placeholder)
    IssueComment.objects.filter(author=user).update(author_name=placeholder)
    ProposalComment.objects.filter(author=user).update(author_name=placeholder)
    ConventionSignature.objects.filter(resident__user=user).update(
        signer_name=placeholder
    )
