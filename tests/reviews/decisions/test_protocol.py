"""The protocol PDF: made with the shipped fonts, with the meeting's record in Russian."""

import io

import pytest
from pypdf import PdfReader

from .conftest import TITLES, decide

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_protocol_lists_the_meeting_record(group, nomination, finalists, members):
    decision = decide(group, nomination, finalists, by=members[0], winner=finalists[1].submission)
    pdf = decision.protocol.read()
    assert pdf.startswith(b"%PDF")
    text = " ".join(_text(pdf).split())
    assert TITLES[1] in text  # the winner's title, in Cyrillic
    for title in TITLES:
        assert title in text
    assert nomination.title in text
    assert decision.held_on.strftime("%Y") in text
    assert "3 of 3 (quorum 2)" in text or "3 из 3 (кворум 2)" in text  # msgid or translation
    assert "Член0" in text and "Член2" in text
    assert "Голос жителя» сильнее" in text  # the dissent
    assert [f.score for f in finalists] == [8.25, 7.5, 6.75]
    assert "8,25" in text and "7,50" in text  # scores, in Russian number format


def test_protocol_embeds_the_shipped_font_only(group, nomination, finalists, members):
    decision = decide(group, nomination, finalists, by=members[0])
    reader = PdfReader(io.BytesIO(decision.protocol.read()))
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
        if "/BaseFont" in font.get_object()
    }
    assert fonts and all("+PT-Sans" in name for name in fonts), fonts
