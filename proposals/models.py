"""Every model of the app, so that Django finds them under the app label `proposals`.

The models live with their domain (proposals/issues/, proposals/deliberation/*/); the
tables, the app label and the migrations are those of the one app.
"""

from proposals.deliberation.consultations.models import (
    Answer,
    Choice,
    Consultation,
    ConsultationResponse,
    Question,
)
from proposals.deliberation.conventions.models import Convention, ConventionSignature
from proposals.deliberation.meetings.models import (
    Meeting,
    MeetingAttendance,
    MeetingTask,
)
from proposals.deliberation.polls.models import Ballot, Poll, PollOption
from proposals.deliberation.proposals.models import Proposal, ProposalComment
from proposals.deliberation.raising.models import (
    ProposalCosign,
    ProposalPhoto,
    RaiseRule,
)
from proposals.issues.models import (
    Issue,
    IssueComment,
    IssueEvent,
    IssuePhoto,
    IssueReporterLook,
    IssueSupport,
)

__all__ = [
    "Answer",
    "Ballot",
    "Choice",
    "Consultation",
    "ConsultationResponse",
    "Convention",
    "ConventionSignature",
    "Issue",
    "IssueComment",
    "IssueEvent",
    "IssuePhoto",
    "IssueReporterLook",
    "IssueSupport",
    "Meeting",
    "MeetingAttendance",
    "MeetingTask",
    "Poll",
    "PollOption",
    "Proposal",
    "ProposalComment",
    "ProposalCosign",
    "ProposalPhoto",
    "Question",
    "RaiseRule",
]
