"""The interface is translated into all seven languages, completely and safely."""

import re
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def catalog(language: str) -> list[dict]:
    """The entries of a .po file: msgid, msgid_plural, msgstr forms and flags."""
    entries, entry, key = [], None, None
    text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")

    def unquote(line: str) -> str:
        return line[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")

    for line in text.splitlines() + [""]:
        if not line.strip():
            if entry and "msgid" in entry:
                entries.append(entry)
            entry, key = None, None
            continue
        entry = entry or {"flags": "", "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"] += line
        elif line.startswith("#"):
            continue
        elif line.startswith("msgid_plural "):
            key = "msgid_plural"
            entry[key] = unquote(line[len("msgid_plural ") :])
        elif line.startswith("msgid "):
            key = "msgid"
            entry[key] = unquote(line[len("msgid ") :])
        elif line.startswith("msgstr"):
            match = re.match(r"msgstr(?:\[(\d+)\])? (.*)", line)
            key = int(match.group(1) or 0)
            entry["msgstr"][key] = unquote(match.group(2))
        elif line.startswith('"'):
            if isinstance(key, int):
                entry["msgstr"][key] += unquote(line)
            else:
                entry[key] += unquote(line)
    return [entry for entry in entries if entry["msgid"]]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    entries = catalog(language)
    assert len(entries) > 400
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_placeholders_and_markup(language):
    for entry in catalog(language):
        for number, translation in entry["msgstr"].items():
            source = entry["msgid"] if number == 0 else entry.get("msgid_plural")
            source = source or entry["msgid"]
            # A singular form may name its number in words ("one") instead; and
            # in a language whose first form also serves 21, 101… (Slovenian)
            # it must name the number, as the plural does.
            wanted = set(PLACEHOLDER.findall(source))
            found = set(PLACEHOLDER.findall(translation))
            allowed = wanted | set(PLACEHOLDER.findall(entry["msgid"]))
            allowed |= set(PLACEHOLDER.findall(entry.get("msgid_plural") or ""))
            assert found <= allowed, entry
            if "msgid_plural" not in entry:
                assert found == wanted, entry
            assert sorted(TAG.findall(translation)) == sorted(TAG.findall(source)), (
                entry
            )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("de", ["Potenziale", "Nutzungsmatrix", "Gute-Praxis-Beispiele"]),
        ("pl", ["Potencjały", "Dobre praktyki"]),
        ("cs", ["Potenciály", "Příklady dobré praxe"]),
        ("hu", ["Potenciálok", "Jó gyakorlatok"]),
        ("sl", ["Potenciali", "Dobre prakse"]),
        ("fi", ["Potentiaalit", "Hyvät käytännöt"]),
    ],
)
def test_pages_speak_the_readers_language(client, language, words):
    content = client.get(f"/{language}/").content.decode()
    assert f'<html lang="{language}"' in content
    for word in words:
        assert word in content
