"""The protocol PDF of a working group's decision: WeasyPrint from a Django template.

Always in Russian, the language of the contest's documents. The fonts come from the
`fontpkg-pt-sans` wheel (PT Sans, made for the peoples of Russia, OFL) and are read from
its installed files; the URL fetcher refuses everything else, so rendering never touches
the network and user text cannot pull in outside resources.
"""

from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone, translation

TEMPLATE = "reviews/decisions/protocol.html"
FACES = {  # (weight, style) → file of the PT Sans wheel
    ("normal", "normal"): "PT_Sans-Web-Regular.ttf",
    ("bold", "normal"): "PT_Sans-Web-Bold.ttf",
    ("normal", "italic"): "PT_Sans-Web-Italic.ttf",
    ("bold", "italic"): "PT_Sans-Web-BoldItalic.ttf",
}


def font_dir() -> Path:
    import fontpkg_pt_sans

    return Path(fontpkg_pt_sans.ROOT) / "files"


def font_faces() -> list[dict]:
    """@font-face rules' data, with file:// URLs of the installed font files."""
    folder = font_dir()
    return [
        {"weight": weight, "style": style, "url": (folder / name).as_uri()}
        for (weight, style), name in FACES.items()
    ]


def _fetcher():
    """A WeasyPrint fetcher that serves the shipped font files and nothing else."""
    from weasyprint.urls import URLFetcher

    allowed = {(font_dir() / name).as_uri() for name in FACES.values()}

    class LocalFontsOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url not in allowed:
                raise ValueError(f"the protocol loads only its own fonts, not {url}")
            return super().fetch(url, headers)

    return LocalFontsOnly(allowed_protocols=("file",))


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
                "fonts": font_faces(),
            },
        )


def render(decision, *, present, recorded_at=None) -> bytes:
    """PDF bytes of the protocol of an (unsaved or saved) decision."""
    from weasyprint import HTML

    document = HTML(
        string=html(decision, present=present, recorded_at=recorded_at),
        url_fetcher=_fetcher(),
    )
    return document.write_pdf()
