"""One reader for the shared development corpora (``../shared/corpora/``), for scripts and tests.

Every record has a stable key that names where it comes from, so labels and landing folders can refer to
corpus articles without copying them into the repository:

* ``snn-<zip stem>-<index>.json``: SaudiNewsNet, record ``index`` of the one JSON member of ``<zip stem>.zip``
* ``ant-<outlet>-<index>.json``: ANT, line ``index`` (from 0) of ``ant-<outlet>.jsonl``

The key is also the file name under which ``write_landing`` stores the record (one JSON object per file),
which is the name ``../shared/eval/score.py`` matches gold labels by.
"""
from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPORA = SHARED / "corpora"
SAUDINEWSNET = CORPORA / "saudinewsnet-dev"
ANT = CORPORA / "ant-dev"
ANT_OUTLETS = ("alarabia", "bbc", "cnn", "france24", "skynews")

_KEY = re.compile(r"^(?P<corpus>snn|ant)-(?P<part>.+)-(?P<index>\d+)\.json$")


def snn_zips(corpus: Path = SAUDINEWSNET) -> list[Path]:
    return sorted(corpus.glob("*.zip")) if corpus.is_dir() else []


@lru_cache(maxsize=16)
def _snn_records(zip_path: str) -> tuple[dict, ...]:
    with zipfile.ZipFile(zip_path) as zf:
        records: list[dict] = []
        for name in sorted(zf.namelist()):
            records.extend(json.loads(zf.read(name)))
    return tuple(records)


@lru_cache(maxsize=8)
def _ant_records(outlet: str) -> tuple[dict, ...]:
    path = ANT / f"ant-{outlet}.jsonl"
    with open(path, encoding="utf-8") as fh:
        return tuple(json.loads(line) for line in fh if line.strip())


def saudinewsnet(corpus: Path = SAUDINEWSNET) -> Iterator[tuple[str, dict]]:
    """(key, record) for every SaudiNewsNet record, in file order."""
    for z in snn_zips(corpus):
        for i, rec in enumerate(_snn_records(str(z))):
            yield f"snn-{z.stem}-{i:05d}.json", rec


def ant(outlets: Iterable[str] = ANT_OUTLETS) -> Iterator[tuple[str, dict]]:
    """(key, record) for every ANT record of the given outlets, in file order."""
    for outlet in outlets:
        if (ANT / f"ant-{outlet}.jsonl").exists():
            for i, rec in enumerate(_ant_records(outlet)):
                yield f"ant-{outlet}-{i:04d}.json", rec


def record(key: str) -> dict:
    """The corpus record a key names (KeyError if the key is malformed or the corpus absent)."""
    m = _KEY.match(key.split("#")[0])
    if not m:
        raise KeyError(key)
    index = int(m["index"])
    if m["corpus"] == "snn":
        return _snn_records(str(SAUDINEWSNET / f"{m['part']}.zip"))[index]
    return _ant_records(m["part"])[index]


def landing_bytes(rec: dict) -> bytes:
    """A record as the one-object JSON file ``write_landing`` stores it in (what a run reads)."""
    return json.dumps(rec, ensure_ascii=False, indent=1).encode("utf-8")


def write_landing(keys: Iterable[str], out: Path) -> list[Path]:
    """Write each keyed record as a one-object JSON file named by its key; returns the paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for key in keys:
        path = out / key.split("#")[0]
        path.write_bytes(landing_bytes(record(key)))
        paths.append(path)
    return paths
