#!/usr/bin/env python3
"""Generate seeds/entities/geo.json: provinces and cities with their Arabic names, from a GeoNames-based dataset.

    .venv/bin/python scripts/build_places.py SOURCE_GIT_DIR

SOURCE_GIT_DIR is a clone (a bare git directory will do) of github.com/dr5hn/countries-states-cities-database
(ODbL 1.0; its cities and states come from GeoNames, CC BY 4.0, with Wikidata labels). The script reads, at
that clone's HEAD, ``toon/states.toon`` (every first-level division of every country) and
``contributions/cities/<ISO>.json`` (cities with a population and an Arabic translation), and keeps:

* every state, province, region and governorate of the Arab countries (``ARAB``), and of the countries the
  Arabic press covers most (``NEIGHBOURS``);
* the cities of the Arab countries above ``ARAB_MIN_POP`` (``SAUDI_MIN_POP`` in Saudi Arabia), of
  ``NEIGHBOURS`` above ``NEIGHBOUR_MIN_POP``, and the rest of the world's above ``WORLD_MIN_POP``;
* each country's capital.

seeds/entities/geo_overrides.json drops names that are ordinary words (``الخبر`` is also "the news") and adds
the press's other spellings. The committed geo.json is what runs; this script only regenerates it.
"""
from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from transforms.arabic.chars import ARABIC_BLOCK  # noqa: E402
from transforms.arabic.fold import fold_arabic, strip_diacritics  # noqa: E402
from transforms.seeds import SEEDS_DIR, read_seed  # noqa: E402

OUT = SEEDS_DIR / "entities" / "geo.json"
ARAB = {"SA", "AE", "KW", "QA", "BH", "OM", "YE", "IQ", "SY", "LB", "JO", "PS", "EG", "SD", "LY", "TN", "DZ", "MA",
        "MR", "SO", "DJ", "KM"}
NEIGHBOURS = {"IR", "TR", "IL", "AF", "PK", "ET", "ER", "SS", "TD", "NE", "ML", "CY"}
STATES_TOO = {"US", "GB", "CA", "AU", "IN", "RU", "DE"}  # countries whose states the press names (تكساس، اسكتلندا)
SAUDI_MIN_POP = 10_000
ARAB_MIN_POP = 40_000
NEIGHBOUR_MIN_POP = 300_000
WORLD_MIN_POP = 1_000_000
CROWDED = {"CN": 4_000_000, "IN": 2_000_000}  # many cities above WORLD_MIN_POP that the Arabic press never names
# Words that name an administrative unit before a place's own name (محافظة الخرج): the name is kept without
# them, the full form as an alias.
UNIT_WORDS = ("محافظة", "منطقة", "ولاية", "إمارة", "امارة", "مقاطعة", "إقليم", "اقليم", "مدينة", "قضاء", "لواء",
              "بلدية", "مديرية", "جزيرة")
CITY_TYPES = {"city", "municipality", "metropolitan city", "city corporation"}
_ARABIC_ONLY = re.compile(f"^[{ARABIC_BLOCK} ]+$")
_PARENS = re.compile(r"\s*[(（].*?[)）]\s*")


def git_show(repo: Path, path: str) -> str | None:
    proc = subprocess.run(["git", "--git-dir", str(repo), "show", f"HEAD:{path}"], capture_output=True)
    return proc.stdout.decode("utf-8") if proc.returncode == 0 else None


def toon_rows(text: str) -> list[dict[str, str]]:
    """Rows of a TOON table (``[n]{a,b,...}:`` then one CSV line per row)."""
    head, _, body = text.partition("\n")
    fields = head[head.index("{") + 1:head.index("}")].split(",")
    return [dict(zip(fields, row, strict=False)) for row in csv.reader(io.StringIO(body)) if row]


def translations(field: str) -> dict[str, str]:
    """``br=X|ar=Y|...`` as a dict."""
    return dict(part.split("=", 1) for part in field.split("|") if "=" in part)


def arabic_name(text: str | None) -> str | None:
    """The Arabic name without diacritics, parentheses or a unit word, or None when it is not plain Arabic.

    >>> arabic_name("محافظة الخَرْج"), arabic_name("Paris")
    ('الخرج', None)
    """
    if not text:
        return None
    name = " ".join(_PARENS.sub(" ", strip_diacritics(text)).split())
    if not _ARABIC_ONLY.match(name):
        return None
    words = name.split()
    if len(words) > 1 and words[0] in UNIT_WORDS:
        name = " ".join(words[1:])
    return name


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    repo = Path(sys.argv[1])
    cfg = read_seed("entities/geo_overrides.json")
    drop = {fold_arabic(x) for x in cfg["drop"]}
    # a one-word town named like a given name (إيدين، ميلان) would take the name from the person
    given = read_seed("entities/given_names.json")
    drop |= {fold_arabic(x) for key in ("male", "female", "foreign", "ambiguous") for x in given[key]}
    drop |= {fold_arabic(x) for x in read_seed("entities/first_names.json")["names"]}
    extra = cfg["aliases"]
    known = {fold_arabic(name) for lst, key in (("countries", "countries"), ("places", "places"), ("places", "more"))
             for row in read_seed(f"entities/{lst}.json")[key] for name in (row["name"], *row["aliases"])}
    rows: dict[str, dict] = {}  # folded name -> row

    def keep(raw: str | None, kind: str, country: str) -> None:
        name = arabic_name(raw)
        if name is None or len(name.replace(" ", "")) < 3:
            return
        key = fold_arabic(name)
        if key in drop or key in known:
            return
        row = rows.setdefault(key, {"name": name, "aliases": [], "kind": kind, "country": country})
        full = strip_diacritics(raw or "").strip()
        if full != name and _ARABIC_ONLY.match(full) and full not in row["aliases"]:
            row["aliases"].append(full)

    states = toon_rows(git_show(repo, "toon/states.toon") or "")
    for st in states:
        if st["country_code"] in ARAB | NEIGHBOURS | STATES_TOO and st.get("type") not in CITY_TYPES:
            keep(translations(st.get("translations", "")).get("ar"), "province", st["country_code"])
    countries = toon_rows(git_show(repo, "toon/countries.toon") or "")
    capitals = {c["iso2"]: c["capital"] for c in countries}
    for iso2 in sorted(capitals):
        text = git_show(repo, f"contributions/cities/{iso2}.json")
        if text is None:
            continue
        floor = SAUDI_MIN_POP if iso2 == "SA" else ARAB_MIN_POP if iso2 in ARAB \
            else NEIGHBOUR_MIN_POP if iso2 in NEIGHBOURS else CROWDED.get(iso2, WORLD_MIN_POP)
        for city in json.loads(text):
            ar = (city.get("translations") or {}).get("ar") or (city.get("native") if iso2 in ARAB else None)
            capital = city["name"] == capitals[iso2]
            if capital or (city.get("population") or 0) >= floor:
                keep(ar, "capital" if capital else "city", iso2)
    for name, aliases in extra.items():
        row = rows.get(fold_arabic(name))
        if row is not None:
            row["aliases"].extend(a for a in aliases if a not in row["aliases"])
    out = sorted(rows.values(), key=lambda r: (r["country"], r["kind"], r["name"]))
    OUT.write_text(json.dumps({"_doc": "GENERATED by scripts/build_places.py from dr5hn/countries-states-cities-"
                               "database (GeoNames, Wikidata; see SOURCES.md) and geo_overrides.json; do not edit "
                               "by hand. Provinces, governorates and cities (PLACE) that are not in countries.json "
                               "or places.json.", "places": out},
                              ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {len(out)} places to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
