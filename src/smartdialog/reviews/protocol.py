"""The protocol PDF of a working group's decision: WeasyPrint from a Django template.

Always in Russian, the language of the contest's documents; rendered offline with PT Sans
by `core.pdf`.
"""

from django.template.loader import render_to_string
from django.utils import timezone, translation

from smartdialog.core import pdf

TEMPLATE = "reviews/decisions/protocol.html"


def filename(decision) -> str:
    nomination = decision.nomination
    return f"protocol-{nomination.edition.year}-{nomination.code}-{decision.held_on:%Y-%m-%d}.pdf"


def html(decision, *, present, recorded_at=None) -> str:
    """The protocol as HTML (also what the PDF is made from)."""
    group = decision.working_group
    winner = next((f for f in decision.finalists if f["submission"] == decision.winner_id), None)
    with translation.override("ru"):
        return render_to_string(
            TEMPLATE,
            {
                "decision": decision,
                "group": group,
                "nomination": decision.nomination,
                "edition": decision.nomination.edition,
                "present": present,
                "present_count": len(present),
                "member_count": group.members.count(),
                "finalists": decision.finalists,
                "preferences": decision.preferences,
                "winner": winner,
                "supersedes": decision.supersedes,
                "recorded_by": decision.recorded_by,
                "recorded_at": timezone.localtime(recorded_at or timezone.now()),
                "fonts": pdf.font_faces(),
            },
        )


def render(decision, *, present, recorded_at=None) -> bytes:
    """PDF bytes of the protocol of an (unsaved or saved) decision."""
    return pdf.render(html(decision, present=present, recorded_at=recorded_at))
