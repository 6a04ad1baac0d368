"""Compile every .po catalogue under src/ to .mo with polib, so no GNU gettext is needed."""

from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent

for po_path in sorted((ROOT / "src").rglob("LC_MESSAGES/*.po")):
    po_file = polib.pofile(str(po_path))
    po_file.save_as_mofile(str(po_path.with_suffix(".mo")))
    print(f"{po_path.relative_to(ROOT)}: {po_file.percent_translated()}% translated")
