"""Give the zh_Hans catalogue Chinese punctuation where the translation is Chinese text.

Half-width , : ; ? ! next to a Chinese character become ，：；？！, and a pair of
parentheses with Chinese inside or beside it becomes （）. Placeholders such as %(name)s and
times such as 14:00 are left alone. Run it after filling translations:

    .venv/bin/python scripts/zh_punctuation.py [path/to/django.po]
"""

import re
import sys

import polib

CJK = "\u3400-\u9fff\uff00-\uffef\u3000-\u303f"
MARKS = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
NEXT_TO_CJK = re.compile(rf"(?<=[{CJK}])\s*([,:;?!])|([,:;?!])\s*(?=[{CJK}])")
# "(" that does not open a %(name)s placeholder, its text, and the closing ")".
PARENS = re.compile(r"(?<!%)\(((?:[^()%]|%\([^()]*\)[sdfr]|%)*)\)(?![sdfr])")
HAS_CJK = re.compile(rf"[{CJK}]")


def chinese_punctuation(text: str) -> str:
    def mark(match: re.Match) -> str:
        return MARKS[match.group(1) or match.group(2)]

    def parens(match: re.Match) -> str:
        start, end = match.span()
        around = match.string[max(0, start - 1) : end + 1]
        if HAS_CJK.search(around):
            return f"（{match.group(1)}）"
        return match.group(0)

    text = PARENS.sub(parens, text)
    return NEXT_TO_CJK.sub(mark, text)


def main(path: str) -> None:
    catalogue = polib.pofile(path)
    for entry in catalogue:
        if entry.msgstr:
            entry.msgstr = chinese_punctuation(entry.msgstr)
        for key, value in entry.msgstr_plural.items():
            entry.msgstr_plural[key] = chinese_punctuation(value)
    catalogue.save(path)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "locale/zh_Hans/LC_MESSAGES/django.po")
