"""Seeded fuzzing of khabar's inputs: mutated seed articles in every accepted format, run through the real
command line, with the contract checked on the warehouse.

    .venv/bin/python scripts/fuzz.py --count 10000 --per-run 2500 --seed 1     # what `make fuzz` runs

Inputs (``generate``): the five seed pages of ``seeds/raw`` as ``.txt`` (UTF-8, BOM, UTF-16, Windows-1256),
HTML pages, scraper JSON (arrays, wrapped lists, single objects, every field spelling) and JSON Lines, some
inside zip / gz / tar.gz archives; then mutated at three levels:

- text: control characters (C0, C1), format and other invisible characters (U+2060, U+180E, U+2061–U+206F,
  U+FFF9–U+FFFB, bidi marks, tags, variation selectors), noncharacters, emoji, diacritics, SQL and markup
  payloads, blank or missing headlines and bodies, repeated or truncated text, very long lines;
- JSON: lone surrogate escapes, integers of thousands of digits, huge exponents, NaN, nesting hundreds to
  thousands deep, fields of the wrong type, non-objects, duplicate and odd keys;
- bytes: flipped and inserted bytes, NULs, truncation, stray BOMs, random garbage;

and given odd names (quotes, spaces, a leading dot or dash, Arabic, non-UTF-8 bytes, ``%``/``*``, long
names, nested folders) and odd archive member names (``../``, absolute, duplicates).

Each landing of ``--per-run`` inputs is run once and then again (``check_run``): the run must exit 0 with no
traceback; every file on disk has exactly one ``ingest_files`` row; every loaded file's ``records`` equals
its articles plus its record-level quarantine rows; a quarantined file has its quarantine row and its bytes
on disk; counts reconcile; no ``body``/``body_norm`` holds a control or invisible character; and the
second run loads nothing and changes no table.
"""
from __future__ import annotations

import argparse
import codecs
import gzip
import io
import json
import os
import random
import re
import subprocess
import sys
import tarfile
import time
import unicodedata
import zipfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS_RAW = ROOT / "seeds" / "raw"

# characters the text mutator inserts
CONTROL_C0 = [chr(c) for c in range(0x00, 0x20) if chr(c) not in "\n"]
CONTROL_C1 = [chr(c) for c in range(0x7F, 0xA0)]
INVISIBLE = (["\u2060", "\u180e", "\u00ad", "\u061c", "\ufeff", "\ufff9", "\ufffa", "\ufffb", "\u034f",
              "\u3164", "\u115f", "\ufe0f", "\ufe00", "\U000e0041", "\U000e007f", "\u0600", "\u06dd"]
             + [chr(c) for c in range(0x2061, 0x2070)] + [chr(c) for c in range(0x200B, 0x2010)]
             + [chr(c) for c in range(0x202A, 0x202F)])
ODD = ["\ufffe", "\uffff", "\ue000", "\U0010ffff", "😀", "👨‍👩‍👧", "\u0651", "\u064e", "\u0640", "\u00a0",
       "\u2028", "\u2029", "\u3000", "\t", "\r", "\r\n", "\u0085", "\x0b", "\x0c", "\u200f", "ﻻ", "\u0670"]
PAYLOADS = ["'; DROP TABLE articles; --", "\" OR 1=1 --", "<script>alert(1)</script>",
            "<img src=x onerror=alert(document.title)>", "${7*7}", "{{7*7}}", "%s%s%n", "\\u0000", "../../etc/passwd",
            "Robert'); DROP TABLE runs;--", "<![CDATA[x]]>", "&lt;b&gt;", "&#0;", "&#xD800;", "<!--", "-->"]
NAME_PARTS = ["خبر", "news", "a b", "it's", 'say"hi"', "100%", "star*", "q?", "-dash", "café", "x" * 120,
              "tab\tname", "semi;colon", "back\\slash", "new\nline", "日本", "emoji😀", "[brackets]", "$HOME"]
EXTENSIONS = [".txt", ".TXT", ".text", ".html", ".htm", ".json", ".jsonl", ".ndjson", ".zip", ".gz", ".tar.gz",
              ".tgz", "", ".docx", ".json.bak"]
FIELD_SPELLINGS = {"title": ["title", "head_line", "headline", "Title", "HEADLINE"],
                   "text": ["content", "text", "maintext", "body", "Body", "articleBody"],
                   "author": ["author", "authors", "byline"], "url": ["url", "link"],
                   "date": ["date", "date_publish", "published", "date_extracted", "pubdate"],
                   "source": ["source", "source_domain", "sitename"]}


def seed_pages() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(SEEDS_RAW.glob("*.txt"))]


class Fuzzer:
    """One seeded stream of fuzzed inputs."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.pages = seed_pages()
        self.kinds: Counter[str] = Counter()

    # ---- text
    def page(self) -> tuple[str, str]:
        """(headline, body) of a seed page, its paragraphs sometimes shuffled or repeated."""
        lines = [ln for ln in self.rng.choice(self.pages).split("\n") if ln.strip()]
        head, paras = lines[0], lines[1:]
        r = self.rng.random()
        if r < 0.1:
            self.rng.shuffle(paras)
        elif r < 0.15:
            paras = paras * self.rng.randint(2, 20)
        return head, "\n\n".join(paras)

    def mutate_text(self, text: str) -> str:
        rng = self.rng
        for _ in range(rng.choice([0, 0, 1, 2, 3, 8, 30])):
            pool = rng.choice([CONTROL_C0, CONTROL_C1, INVISIBLE, INVISIBLE, ODD, PAYLOADS])
            at = rng.randint(0, len(text))
            text = text[:at] + rng.choice(pool) + text[at:]
            self.kinds["text:insert"] += 1
        r = rng.random()
        if r < 0.03:
            text = ""
            self.kinds["text:empty"] += 1
        elif r < 0.06:
            text = " \n\t\u00a0\u200f " * rng.randint(1, 5)
            self.kinds["text:blank"] += 1
        elif r < 0.09:
            text = text[: rng.randint(0, len(text))]
            self.kinds["text:truncated"] += 1
        elif r < 0.11:
            text = text.replace("\n", " ")
            self.kinds["text:one_line"] += 1
        return text

    # ---- formats
    def txt(self) -> tuple[str, bytes]:
        head, body = self.page()
        text = self.mutate_text(f"{self.mutate_text(head)}\n\n{body}")
        enc = self.rng.choice(["utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16", "cp1256", "utf-16-le"])
        self.kinds[f"txt:{enc}"] += 1
        return ".txt", self._encode(text, enc)

    def _encode(self, text: str, enc: str) -> bytes:
        try:
            return text.encode(enc)
        except UnicodeEncodeError:
            return text.encode("utf-8", "surrogatepass")

    def html(self) -> tuple[str, bytes]:
        head, body = self.page()
        paras = "".join(f"<p>{self.mutate_text(p)}</p>" for p in body.split("\n\n"))
        if self.rng.random() < 0.2:
            paras = paras.replace("</p>", "", self.rng.randint(1, 5))  # unclosed tags
        charset = self.rng.choice(["utf-8", "windows-1256", "utf-16", "bogus-charset", "utf-7"])
        page = (f"<!DOCTYPE html><html lang=ar><head><meta charset='{charset}'><title>{self.mutate_text(head)}"
                f"</title></head><body><article><h1>{head}</h1>{paras}</article></body></html>")
        self.kinds["html"] += 1
        return self.rng.choice([".html", ".htm"]), self._encode(page, "cp1256" if charset == "windows-1256" else "utf-8")

    def record(self) -> object:
        rng = self.rng
        head, body = self.page()
        rec: dict[object, object] = {}
        for field, value in (("title", head), ("text", body), ("author", "سانا"),
                             ("url", f"https://sana.sy/?p={rng.randint(1, 10**6)}"),
                             ("date", rng.choice(["2016-09-05", "2016-09-05T10:00:00+03:00", "أمس", "", "9999-12-31",
                                                  "0000-00-00", "1e400"])),
                             ("source", "sana.sy")):
            if rng.random() < 0.9 or field == "text":
                rec[rng.choice(FIELD_SPELLINGS[field])] = self.mutate_text(value) if field in ("title", "text") else value
        r = rng.random()
        if r < 0.05:
            rec[rng.choice(["text", "content"])] = self._deep(rng.choice([10, 70, 300, 980, 3000]))
            self.kinds["json:deep"] += 1
        elif r < 0.10:
            rec["views"] = JsonRaw("9" * rng.choice([20, 4301, 5000, 20000]))
            self.kinds["json:big_int"] += 1
        elif r < 0.13:
            rec["score"] = JsonRaw(rng.choice(["1e999", "-0.0", "NaN", "Infinity", "1.5e-400"]))
            self.kinds["json:odd_number"] += 1
        elif r < 0.20:
            key = rng.choice(list(rec))
            rec[key] = SurrogateText(str(rec[key]), rng.choice(["\\ud800", "\\udfff", "\\udc00\\ud800", "\\ud83d"]))
            self.kinds["json:lone_surrogate"] += 1
        elif r < 0.25:
            key = rng.choice(list(rec))
            rec[key] = rng.choice([None, True, 0, [], {}, [1, [2, [3]]], {"rendered": body}, [{"name": "أ"}, 7],
                                   {"text": {"value": head}}])
            self.kinds["json:wrong_type"] += 1
        elif r < 0.27:
            self.kinds["json:not_object"] += 1
            return rng.choice([42, "نص", None, [1, 2], True, JsonRaw("1" * 5000)])
        elif r < 0.29:
            rec[SurrogateText("k", "\\ud800")] = "v"
            self.kinds["json:surrogate_key"] += 1
        return rec

    def _deep(self, depth: int) -> object:
        value: object = "نص عميق"
        for i in range(depth):
            value = [value] if i % 2 else {"text": value}
        return value

    def json_doc(self) -> tuple[str, bytes]:
        rng = self.rng
        records = [self.record() for _ in range(rng.randint(1, 6))]
        shape = rng.random()
        if shape < 0.6:
            doc: object = records
        elif shape < 0.8:
            doc = {rng.choice(["articles", "items", "data", "results"]): records}
        else:
            doc = records[0]
        text = dumps(doc, indent=rng.choice([None, 1]))
        if rng.random() < 0.05:  # duplicate keys, trailing garbage, a comment
            text = rng.choice([text.replace("{", '{"title": "x", ', 1), text + "\n{", text + " // c", "\ufeff" + text])
            self.kinds["json:text_mangled"] += 1
        self.kinds["json"] += 1
        return ".json", text.encode("utf-8", "surrogatepass")

    def jsonl_doc(self) -> tuple[str, bytes]:
        lines = [dumps(self.record()) for _ in range(self.rng.randint(1, 8))]
        if self.rng.random() < 0.2:
            lines.insert(self.rng.randint(0, len(lines)), self.rng.choice(['{"title": "سطر مقطوع", "content": ',
                                                                            "not json", "[]", "", "\u2028"]))
        self.kinds["jsonl"] += 1
        return self.rng.choice([".jsonl", ".ndjson"]), "\n".join(lines).encode("utf-8", "surrogatepass")

    def mutate_bytes(self, data: bytes) -> bytes:
        rng = self.rng
        r = rng.random()
        if r > 0.12 or not data:
            return data
        b = bytearray(data)
        kind = rng.choice(["flip", "nul", "truncate", "garbage", "bom", "insert"])
        self.kinds[f"bytes:{kind}"] += 1
        if kind == "flip":
            for _ in range(rng.randint(1, 8)):
                i = rng.randrange(len(b))
                b[i] ^= 1 << rng.randrange(8)
        elif kind == "nul":
            b.insert(rng.randint(0, len(b)), 0)
        elif kind == "truncate":
            del b[rng.randint(0, len(b)):]
        elif kind == "garbage":
            return rng.randbytes(rng.randint(1, 4096))
        elif kind == "bom":
            b[:0] = rng.choice([codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE])
        else:
            b[rng.randint(0, len(b)):0] = rng.randbytes(rng.randint(1, 16))
        return bytes(b)

    # ---- containers and names
    def member_name(self, ext: str) -> str:
        r = self.rng.random()
        if r < 0.05:
            return self.rng.choice(["../evil", "/abs/path", "a/../../b", "C:\\x", "", "dup"]) + ext
        return f"{self.rng.choice(NAME_PARTS)}{self.rng.randint(0, 99)}{ext}"

    def inner(self) -> tuple[str, bytes]:
        return self.rng.choice([self.txt, self.txt, self.html, self.json_doc, self.jsonl_doc])()

    def container(self) -> tuple[str, bytes]:
        rng = self.rng
        kind = rng.choice(["zip", "gz", "tar.gz"])
        self.kinds[f"archive:{kind}"] += 1
        if kind == "gz":
            ext, data = self.inner()
            return ext + ".gz", gzip.compress(data, mtime=0)
        members = []
        for _ in range(rng.randint(1, 5)):
            ext, data = self.container() if rng.random() < 0.05 else self.inner()
            members.append((self.member_name(ext), self.mutate_bytes(data)))
        buf = io.BytesIO()
        if kind == "zip":
            with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
                for name, data in members:
                    with zf.open(zipfile.ZipInfo(name or "noname"), "w") as fh:
                        fh.write(data)
            return ".zip", buf.getvalue()
        with tarfile.open(fileobj=buf, mode="w:gz") as tf:
            for name, data in members:
                ti = tarfile.TarInfo(name or "noname")
                ti.size = len(data)
                tf.addfile(ti, io.BytesIO(data))
        return ".tar.gz", buf.getvalue()

    def file_name(self, ext: str, index: int) -> bytes:
        rng = self.rng
        parts = [f"d{rng.randint(0, 3)}"] if rng.random() < 0.3 else []
        base = rng.choice(NAME_PARTS) if rng.random() < 0.4 else "in"
        name = f"{base}-{index:05d}"
        r = rng.random()
        if r < 0.03:
            name = "." + name  # hidden
            self.kinds["name:hidden"] += 1
        elif r < 0.06:
            ext = rng.choice(EXTENSIONS)  # a name that lies about the content
            self.kinds["name:wrong_ext"] += 1
        raw = "/".join([*parts, name + ext]).encode("utf-8")
        if rng.random() < 0.02:
            raw = raw.replace(b"-", b"\xff-", 1)  # not UTF-8
            self.kinds["name:bytes"] += 1
        return raw

    def one(self, index: int) -> tuple[bytes, bytes]:
        r = self.rng.random()
        ext, data = (self.container() if r < 0.15 else self.inner())
        return self.file_name(ext, index), self.mutate_bytes(data)


class JsonRaw(str):
    """Written into JSON as is (a number spelt as the fuzzer wants it)."""


class SurrogateText(str):
    """A JSON string with a raw escape (a lone surrogate) appended."""

    def __new__(cls, text: str, escape: str) -> SurrogateText:
        obj = super().__new__(cls, text)
        obj.escape = escape
        return obj


def dumps(obj: object, indent: int | None = None) -> str:
    """JSON text of ``obj``, with JsonRaw numbers and SurrogateText escapes written as they are (iterative:
    fuzzed values nest thousands deep)."""
    out: list[str] = []
    stack: list[object] = [obj]
    sep = ",\n" if indent else ", "
    while stack:
        item = stack.pop()
        if isinstance(item, _Text):
            out.append(item.text)
        elif isinstance(item, JsonRaw):
            out.append(str.__str__(item))
        elif isinstance(item, SurrogateText):
            out.append(json.dumps(str.__str__(item), ensure_ascii=False)[:-1] + item.escape + '"')
        elif isinstance(item, dict):
            parts: list[object] = [_Text("{")]
            for n, (k, v) in enumerate(item.items()):
                parts += [_Text(", " if n else ""), k if isinstance(k, str) else str(k), _Text(": "), v]
            stack.extend(reversed([*parts, _Text("}")]))
        elif isinstance(item, list):
            parts = [_Text("[")]
            for n, v in enumerate(item):
                parts += [_Text(sep if n else ""), v]
            stack.extend(reversed([*parts, _Text("]")]))
        else:
            out.append(json.dumps(item, ensure_ascii=False))
    return "".join(out)


class _Text:
    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def generate(landing: Path, count: int, seed: int, start: int = 0) -> Counter[str]:
    """Write ``count`` fuzzed inputs under ``landing``; returns how many of each mutation were made."""
    fuzz = Fuzzer(seed)
    landing.mkdir(parents=True, exist_ok=True)
    for i in range(start, start + count):
        name, data = fuzz.one(i)
        path = os.path.join(os.fsencode(landing), name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(data)
    return fuzz.kinds


# ------------------------------------------------------------------------------------------------ checking

_TRACEBACK = re.compile(r"^Traceback \(most recent call last\)", re.M)


def _rel_text(rel: str) -> str:
    return os.fsencode(rel).decode("utf-8", "backslashreplace").replace(os.sep, "/")


def files_on_disk(landing: Path) -> set[str]:
    found = set()
    for folder, _dirs, files in os.walk(landing):
        for f in files:
            found.add(_rel_text(os.path.relpath(os.path.join(folder, f), landing)))
    return found


def _bad_chars(text: str | None) -> list[str]:
    if not text:
        return []
    from transforms.normalize import CONTROLS

    bad = {ch for ch in text if (unicodedata.category(ch) in ("Cc", "Cf", "Cs") and ch != "\n")}
    bad |= set(CONTROLS.findall(text))
    return [f"U+{ord(ch):04X}" for ch in sorted(bad)]


def check_run(landing: Path, wh: Path, first: subprocess.CompletedProcess,
              second: subprocess.CompletedProcess | None) -> list[str]:
    """Everything the contract promises about a run over ``landing`` (see the module docstring); returns the
    problems found (empty: all good)."""
    import duckdb

    problems: list[str] = []
    for label, proc in (("run", first), ("re-run", second)):
        if proc is None:
            continue
        if proc.returncode != 0:
            problems.append(f"{label} exited {proc.returncode}: {proc.stderr[-2000:]}")
        if _TRACEBACK.search(proc.stdout) or _TRACEBACK.search(proc.stderr):
            problems.append(f"{label} printed a traceback: {proc.stderr[-2000:]}")
    if problems:
        return problems
    summary = json.loads(first.stdout.strip().splitlines()[-1])
    run_id = summary["run_id"]
    con = duckdb.connect(str(wh / "news.duckdb"), read_only=True)
    try:
        rows = con.execute("SELECT source_file, status, records FROM ingest_files WHERE run_id = ?", [run_id]).fetchall()
        by_file = Counter(r[0] for r in rows)
        disk = files_on_disk(landing)
        problems += [f"no ingest_files row: {f!r}" for f in sorted(disk - set(by_file))]
        problems += [f"ingest_files row for a file not on disk: {f!r}" for f in sorted(set(by_file) - disk)]
        problems += [f"{n} ingest_files rows: {f!r}" for f, n in by_file.items() if n != 1]
        arts = Counter(_owner(f, disk) for (f,) in con.execute("SELECT source_file FROM articles WHERE run_id = ?",
                                                               [run_id]).fetchall())
        quarantine = con.execute("SELECT source_file, source_record, reason_code, stored_path FROM quarantine "
                                 "WHERE run_id = ?", [run_id]).fetchall()
        q_count: Counter[str] = Counter()
        file_level: set[str] = set()
        for f, rec, code, stored in quarantine:
            owner = _owner(f, disk)
            if rec is None and f == owner:
                file_level.add(f)
            else:
                q_count[owner] += 1
            if stored is None or not (wh / stored).is_file():
                problems.append(f"quarantined bytes not kept: {f!r} #{rec} ({code})")
        for f, status, records in rows:
            if status == "loaded" and records != arts[f] + q_count[f]:
                problems.append(f"{f!r}: records {records} != articles {arts[f]} + quarantined {q_count[f]}")
            if status == "quarantined" and f not in file_level:
                problems.append(f"{f!r}: quarantined without a quarantine row")
        if summary["files_seen"] != summary["files_loaded"] + summary["files_skipped"] + summary["files_quarantined"]:
            problems.append(f"file counts do not add up: {summary}")
        if summary["records_seen"] != summary["articles_loaded"] + summary["records_quarantined"]:
            problems.append(f"record counts do not add up: {summary}")
        if summary["files_seen"] != len(disk):
            problems.append(f"files_seen {summary['files_seen']} != {len(disk)} files on disk")
        n_articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        if n_articles != summary["articles_loaded"]:
            problems.append(f"articles table {n_articles} != articles_loaded {summary['articles_loaded']}")
        for aid, body, norm in con.execute("SELECT article_id, body, body_norm FROM articles").fetchall():
            bad = _bad_chars(body) + _bad_chars(norm)
            if bad:
                problems.append(f"article {aid}: control or invisible characters {bad[:5]}")
        before = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("articles", "quotes", "mentions", "entities", "quote_links")}
    finally:
        con.close()
    if second is not None:
        again = json.loads(second.stdout.strip().splitlines()[-1])
        if again["files_loaded"] or again["articles_loaded"]:
            problems.append(f"the re-run loaded something: {again}")
        con = duckdb.connect(str(wh / "news.duckdb"), read_only=True)
        after = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in before}
        con.close()
        if after != before:
            problems.append(f"the re-run changed tables: {before} -> {after}")
    return problems


def _owner(source_file: str, disk: set[str]) -> str:
    """The landing file a source_file belongs to (``a.zip!m.txt`` belongs to ``a.zip``)."""
    if source_file in disk:
        return source_file
    head = source_file
    while "!" in head:
        head = head.rsplit("!", 1)[0]
        if head in disk:
            return head
    return source_file


def run_khabar(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "GX_ANALYTICS_ENABLED": "false"}
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=3600)


def fuzz_once(workdir: Path, count: int, seed: int, start: int = 0) -> tuple[list[str], dict]:
    """Generate one landing, run khabar twice over it, check; returns (problems, facts)."""
    landing, wh = workdir / "landing", workdir / "wh"
    kinds = generate(landing, count, seed, start)
    t = time.perf_counter()
    first = run_khabar("run", "--landing", str(landing), "--warehouse", str(wh), "--json")
    seconds = time.perf_counter() - t
    second = run_khabar("run", "--landing", str(landing), "--warehouse", str(wh), "--json") \
        if first.returncode == 0 else None
    problems = check_run(landing, wh, first, second)
    facts: dict = {"inputs": count, "seconds": round(seconds, 1), "kinds": dict(kinds)}
    if first.returncode == 0:
        import duckdb

        facts["summary"] = json.loads(first.stdout.strip().splitlines()[-1])
        con = duckdb.connect(str(wh / "news.duckdb"), read_only=True)
        facts["reasons"] = dict(con.execute("SELECT reason_code, count(*) FROM quarantine WHERE run_id = ? "
                                            "GROUP BY 1 ORDER BY 2 DESC", [facts["summary"]["run_id"]]).fetchall())
        con.close()
    return problems, facts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=10_000, help="fuzzed inputs in all (default 10,000)")
    ap.add_argument("--per-run", type=int, default=2_500, help="inputs per landing folder / run")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/khabar-fuzz"))
    args = ap.parse_args(argv)
    import shutil

    totals: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    failed_runs = 0
    all_problems: list[str] = []
    for n, start in enumerate(range(0, args.count, args.per_run)):
        work = args.workdir / f"run-{n:03d}"
        shutil.rmtree(work, ignore_errors=True)
        problems, facts = fuzz_once(work, min(args.per_run, args.count - start), args.seed + n, start)
        s = facts.get("summary", {})
        failed_runs += "summary" not in facts
        for k in ("files_seen", "files_loaded", "files_skipped", "files_quarantined", "records_seen",
                  "articles_loaded", "records_quarantined"):
            totals[k] += s.get(k, 0)
        print(f"run {n}: {facts['inputs']} inputs, {facts['seconds']} s, {len(problems)} problems; "
              + "  ".join(f"{k} {s.get(k)}" for k in ("files_loaded", "files_skipped", "files_quarantined",
                                                      "articles_loaded", "records_quarantined")), flush=True)
        reasons.update(facts.get("reasons", {}))
        for p in problems[:20]:
            print("   ", p[:400], flush=True)
        all_problems += problems
        if not problems:
            shutil.rmtree(work, ignore_errors=True)
    print(f"fuzz: {args.count} inputs, {failed_runs} aborted runs, {len(all_problems)} problems "
          f"(unaccounted files or records, tracebacks, re-run changes); totals {dict(totals)}")
    print("quarantine reasons: " + ", ".join(f"{k} {n}" for k, n in reasons.most_common()))
    return 1 if all_problems or failed_runs else 0


if __name__ == "__main__":
    sys.exit(main())
