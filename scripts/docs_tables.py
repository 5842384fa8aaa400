"""Write docs/tables.md from the table declarations (schemas/tables.py); `--check` only says whether it is current."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from schemas.docs import tables_markdown  # noqa: E402

DOC = ROOT / "docs" / "tables.md"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--check", action="store_true", help="exit 1 if docs/tables.md is not current")
    args = ap.parse_args()
    text = tables_markdown()
    if args.check:
        current = DOC.exists() and DOC.read_text(encoding="utf-8") == text
        print(f"{DOC.relative_to(ROOT)} is {'current' if current else 'NOT current: run scripts/docs_tables.py'}")
        return 0 if current else 1
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
