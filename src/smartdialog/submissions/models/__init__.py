from .attachment import Attachment
from .submission import DraftConflict, ResultIndicator, Submission
from .version import ModerationComment, SubmissionTransition, SubmissionVersion

__all__ = [
    "Attachment",
    "DraftConflict",
    "ModerationComment",
    "ResultIndicator",
    "Submission",
    "SubmissionTransition",
    "SubmissionVersion",
]
