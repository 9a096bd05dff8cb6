"""The zh-hans catalogue is complete and its compiled .mo is up to date."""

import re
from pathlib import Path

import polib
from django.conf import settings
from django.test import Client
from django.utils import translation

PO = Path(settings.BASE_DIR) / "locale/zh_Hans/LC_MESSAGES/django.po"
MO = PO.with_suffix(".mo")


def test_every_message_is_translated_and_none_is_fuzzy():
    catalogue = polib.pofile(str(PO))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []


def test_compiled_catalogue_matches_the_source():
    source = {
        (e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(str(PO)) if not e.obsolete
    }
    compiled = {
        (e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(MO)) if e.msgid
    }
    assert compiled == source, (
        "Run: python manage.py compilemessages -l zh_Hans --ignore=.venv"
    )


def test_zh_hans_is_the_default_and_english_is_available(db):
    response = Client().get("/accounts/login/")
    assert response.headers["Content-Language"] == "zh-hans"
    assert "登录" in response.content.decode()
    with translation.override("en"):
        english = Client(headers={"accept-language": "en"}).get("/accounts/login/")
    assert english.headers["Content-Language"] == "en"
    assert "Log in" in english.content.decode()


HALF_WIDTH_NEXT_TO_CHINESE = re.compile(
    r"[\u4e00-\u9fff][,:;?!()]|[,:;?!][\u4e00-\u9fff]|(?<!%)\([\u4e00-\u9fff]"
)


def test_chinese_text_uses_chinese_punctuation():
    catalogue = polib.pofile(str(PO))
    half_width = [
        text
        for entry in catalogue
        for text in [entry.msgstr, *entry.msgstr_plural.values()]
        if HALF_WIDTH_NEXT_TO_CHINESE.search(text)
    ]
    assert half_width == [], "Run: python scripts/zh_punctuation.py"


# Template text outside tags, comments and translation blocks: what zh-hans readers see
# as written in the template (the translations are checked in the catalogue above).
TEMPLATE_MARKUP = re.compile(
    r"\{%\s*blocktranslate.*?\{%\s*endblocktranslate\s*%\}|\{%.*?%\}|\{\{.*?\}\}"
    r"|\{#.*?#\}|<!--.*?-->",
    re.S,
)
CJK = re.compile(r"[\u4e00-\u9fff]")


def template_files():
    base = Path(settings.BASE_DIR)
    return sorted(
        path
        for path in base.glob("**/templates/**/*.html")
        if ".venv" not in path.parts and "bench" not in path.parts
    )


def test_templates_write_chinese_with_chinese_punctuation_and_您():
    assert len(template_files()) > 100
    found = []
    for path in template_files():
        literal = TEMPLATE_MARKUP.sub("\x00", path.read_text())
        for line in literal.splitlines():
            if HALF_WIDTH_NEXT_TO_CHINESE.search(line) or "你" in line:
                found.append(f"{path.name}: {line.strip()}")
    assert found == []


def test_chinese_appears_in_templates_only_through_the_catalogue():
    """A date format such as "n月j日" in a tag shows Chinese on an English page."""
    found = []
    for path in template_files():
        for tag in re.findall(r"\{%.*?%\}|\{\{.*?\}\}", path.read_text(), re.S):
            if CJK.search(tag) and not re.match(r"\{%\s*(block)?translate", tag):
                found.append(f"{path.name}: {tag}")
    assert found == []


def test_the_catalogue_says_您_never_你():
    catalogue = polib.pofile(str(PO))
    informal = [
        entry.msgid
        for entry in catalogue
        for text in [entry.msgstr, *entry.msgstr_plural.values()]
        if "你" in text
    ]
    assert informal == []
