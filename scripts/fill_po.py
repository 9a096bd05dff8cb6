"""Fill empty msgstrs of the zh_Hans catalogue from a dict module (a translator's aid)."""

import importlib.util
import sys

import polib

po_path = "locale/zh_Hans/LC_MESSAGES/django.po"
spec = importlib.util.spec_from_file_location("table", sys.argv[1])
table = importlib.util.module_from_spec(spec)
spec.loader.exec_module(table)
po = polib.pofile(po_path)
missing = []
for entry in po:
    if entry.msgid in table.ZH and entry.msgid_plural:
        entry.msgstr_plural = {0: table.ZH[entry.msgid]}
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    elif entry.msgid in table.ZH:
        entry.msgstr = table.ZH[entry.msgid]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    elif not entry.translated() or "fuzzy" in entry.flags:
        missing.append(entry.msgid)
po.save(po_path)
print("untranslated:", missing)
