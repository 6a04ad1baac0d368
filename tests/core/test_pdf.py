"""Documents render offline: the fetcher serves the shipped fonts and nothing else."""

import pytest

from smartdialog.core import pdf


def test_fetcher_refuses_other_urls():
    fetcher = pdf.fetcher()
    with pytest.raises(ValueError):
        fetcher.fetch("http://127.0.0.1/x.png")
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")


def test_fetcher_serves_the_shipped_fonts():
    fetcher = pdf.fetcher()
    for face in pdf.font_faces():
        fetched = fetcher.fetch(face["url"])
        try:
            assert fetched.read(4) in (b"\x00\x01\x00\x00", b"OTTO", b"true")  # TrueType
        finally:
            fetched.close()
