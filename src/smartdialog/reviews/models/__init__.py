from .evaluation import Conflict, Expert, Review, ReviewAssignment, ReviewSettings, Score
from .outcomes import Decision, Finalist, NominationShortfall, WorkingGroup

__all__ = [
    "Conflict",
    "Decision",
    "Expert",
    "Finalist",
    "NominationShortfall",
    "Review",
    "ReviewAssignment",
    "ReviewSettings",
    "Score",
    "WorkingGroup",
]
