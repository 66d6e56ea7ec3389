"""Opens .docx packages with python-docx (an independent reader, PyPI) and
prints what it found, one line per file: paragraphs, tables, sections and
their orientation, the styles in use. Exits non-zero when a file cannot be
read or a paragraph names a style the package does not define.

Usage: python3 tests/docx_check.py FILE.docx ...
"""
import sys

import docx
from docx.enum.section import WD_ORIENT


def main(paths):
    bad = 0
    for path in paths:
        try:
            d = docx.Document(path)
            ids = {s.style_id for s in d.styles}
            used = set()
            for p in d.paragraphs:
                sid = p._p.pPr.pStyle.val if p._p.pPr is not None and p._p.pPr.pStyle is not None else None
                if sid is not None:
                    used.add(sid)
            missing = sorted(used - ids)
            orient = ",".join(
                "L" if s.orientation == WD_ORIENT.LANDSCAPE else "P" for s in d.sections
            )
            text = "".join(p.text for p in d.paragraphs)
            print(
                f"{path}\tparagraphs={len(d.paragraphs)}\ttables={len(d.tables)}"
                f"\tsections={orient}\tstyles={len(used)}\tchars={len(text)}"
                + (f"\tMISSING-STYLES={missing}" if missing else "")
            )
            if missing:
                bad += 1
        except Exception as e:  # noqa: BLE001 - report any failure to read
            print(f"{path}\tERROR\t{type(e).__name__}: {e}")
            bad += 1
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main(sys.argv[1:])
