"""One huge article beside the seeds: wall time and peak memory of the whole process tree, then the re-run.

    .venv/bin/python scripts/bench_big_article.py            # part of `make bench`

Cases: a 50 MB single-line article as ``.txt``, as one JSON Lines record and as an HTML page (each is
quarantined by the record-size rule, ``Limits.max_record_bytes``), and a single-line ``.txt`` article just
under that limit (loaded: the largest article a run extracts). Each case: a fresh warehouse, one run, then a
second run over the same landing (must load nothing).
"""
from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.bench import run_measured  # noqa: E402
from transforms.formats import Limits  # noqa: E402

MB = 1024 * 1024


def _line(size: int) -> tuple[str, str]:
    pages = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds" / "raw").glob("*.txt"))]
    words = " ".join(" ".join(" ".join(p.split("\n")[1:]) for p in pages).split())
    head = pages[0].split("\n")[0]
    text = (words + " ") * (size // len(words.encode()) + 1)
    return head, text.encode()[:size].decode("utf-8", "ignore")


def write_case(landing: Path, kind: str, size: int) -> None:
    shutil.copytree(ROOT / "seeds" / "raw", landing)
    head, text = _line(size)
    if kind == "txt":
        (landing / "huge.txt").write_text(f"{head}\n\n{text}", encoding="utf-8")  # a title line, a one-line body
    elif kind == "jsonl":
        (landing / "huge.jsonl").write_text(json.dumps({"title": head, "content": text}, ensure_ascii=False),
                                            encoding="utf-8")
    else:
        (landing / "huge.html").write_text(f"<html><head><title>{head}</title></head><body><article><p>{text}"
                                           "</p></article></body></html>", encoding="utf-8")


def main() -> int:
    limit = Limits().max_record_bytes
    cases = [("txt", 50 * MB), ("jsonl", 50 * MB), ("html", 50 * MB), ("txt", limit - 64 * 1024)]
    print(f"record-size limit: {limit / MB:.1f} MiB")
    print("| case | run wall s | peak RSS MiB (tree) | huge record | re-run wall s | re-run loaded |")
    print("| --- | ---: | ---: | --- | ---: | ---: |")
    for kind, size in cases:
        with tempfile.TemporaryDirectory() as tmp:
            landing, wh = Path(tmp) / "landing", Path(tmp) / "wh"
            write_case(landing, kind, size)
            summary, wall, peak = run_measured(landing, wh)
            again, wall2, _ = run_measured(landing, wh)
            fate = ("quarantined" if summary["records_quarantined"] else "loaded")
            print(f"| {size / MB:.1f} MB single-line {kind} | {wall:.1f} | {peak / MB:,.0f} | {fate} | {wall2:.1f} | "
                  f"{again['files_loaded']} files, {again['articles_loaded']} articles |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
