#!/usr/bin/env python
"""Compile every locale/*/LC_MESSAGES/*.po into .mo with polib: no GNU gettext needed.

The compiled catalogues are committed, so a fresh machine needs neither this nor gettext;
``make messages`` runs it after ``makemessages``. With ``--check`` it compiles nothing and
exits 1 when a .mo file is missing or differs from its .po (CI and a test use this).
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def catalogues():
    return sorted((ROOT / "locale").glob("*/LC_MESSAGES/*.po"))


def entries(messages) -> dict:
    return {
        (entry.msgctxt, entry.msgid): (
            entry.msgstr,
            tuple(sorted((int(k), v) for k, v in entry.msgstr_plural.items())),
        )
        for entry in messages
        if entry.msgid
    }


def stale(po_path: Path) -> bool:
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        return True
    source = polib.pofile(str(po_path))
    # Only translated, current entries are compiled; a .mo holds nothing else.
    compiled_from = [e for e in source if e.translated() and not e.obsolete]
    return entries(compiled_from) != entries(polib.mofile(str(mo_path)))


def main(argv: list[str]) -> int:
    if "--check" in argv:
        bad = [str(p.relative_to(ROOT)) for p in catalogues() if stale(p)]
        for path in bad:
            print(f"stale or missing .mo for {path}: run `make messages`")
        return 1 if bad else 0
    for po_path in catalogues():
        polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
        print(f"compiled {po_path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
