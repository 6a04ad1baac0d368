"""PDF documents from HTML with WeasyPrint, offline: PT Sans and nothing from outside.

The fonts come from the `fontpkg-pt-sans` wheel (PT Sans, made for the peoples of Russia,
OFL) and are read from its installed files; the URL fetcher refuses everything else, so
rendering never touches the network and user text cannot pull in outside resources. Used
by the working groups' protocols, the results report and the certificates.
"""

from pathlib import Path

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


def fetcher():
    """A WeasyPrint fetcher that serves the shipped font files and nothing else."""
    from weasyprint.urls import URLFetcher

    allowed = {(font_dir() / name).as_uri() for name in FACES.values()}

    class LocalFontsOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url not in allowed:
                raise ValueError(f"documents load only their own fonts, not {url}")
            return super().fetch(url, headers)

    return LocalFontsOnly(allowed_protocols=("file",))


def render(html: str) -> bytes:
    """PDF bytes of an HTML document whose only outside resources are the fonts."""
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=fetcher()).write_pdf()
