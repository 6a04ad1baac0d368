"""Russian first, English complete: catalogues are whole and pages carry no untranslated text."""

import io
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

CATALOGUES = sorted(Path(settings.BASE_DIR, "locale").glob("*/LC_MESSAGES/django.po"))
CYRILLIC = re.compile(r"[А-Яа-яЁё]+")


def test_both_languages_have_a_catalogue():
    assert [p.parts[-3] for p in CATALOGUES] == ["en", "ru"]


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_catalogue_is_complete_and_compiled(path):
    po = polib.pofile(str(path))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    compiled = polib.mofile(str(path.with_suffix(".mo")))
    assert {e.msgid: e.msgstr for e in compiled if e.msgid} == {
        e.msgid: e.msgstr for e in po.translated_entries()
    }, "the .mo is stale: run `make messages`"


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r'<button[^>]*lang="ru"[^>]*>.*?</button>', " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.django_db
def test_english_pages_of_the_demo_have_no_russian_left(client, django_user_model):
    call_command("seed_demo", stdout=io.StringIO())
    organiser = django_user_model.objects.get(email="organiser@demo.smartdialog.ru")
    client.cookies["django_language"] = "en"
    client.force_login(organiser)
    urls = [
        reverse("home"),
        reverse("edition_history", args=[2023]),
        reverse("manage:index"),
        reverse("manage:edition", args=[2023]),
        reverse("manage:stage_create", args=[2023]),
    ]
    for url in urls:
        text = _visible_text(client.get(url).content.decode())
        assert CYRILLIC.findall(text) == [], url


@pytest.mark.django_db
def test_an_english_browser_still_gets_russian_until_it_switches(client, edition):
    response = client.get(reverse("home"), headers={"accept-language": "en-US,en;q=0.9"})
    assert response["Content-Language"] == "ru"
    assert "Номинация 1.1" in response.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("home"), headers={"accept-language": "ru"})
    assert response["Content-Language"] == "en"
    assert "Nomination 1.1" in response.content.decode()
