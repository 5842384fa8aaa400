"""The triggers of issue 9's fuzz and fault probe as fixtures, each asserting the contract: the good files beside
a bad one are loaded, every file and record is accounted for, no traceback, the documented exit status.

One landing holds the seeds and the record-level triggers (a lone surrogate escape, a 5,000-digit integer, a
control byte inside an HTML paragraph, a field nested 980 deep, invisible and control characters, a 50 MB
single-line article, a dot-file), loaded into a warehouse whose path holds a quote. The same warehouse then
meets a full disk (where the machine lets the test mount a small tmpfs), a reader holding the database, a
deleted Parquet partition, a garbage database file and its restore. The usage faults (landing = warehouse,
``--limit -1``, bad option values, missing cloud credentials) fail before anything starts.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from scripts.fuzz import JsonRaw, SurrogateText, check_run, dumps
from tests.conftest import KHABAR, ROOT, SEEDS_RAW, run_khabar, summary_of
from tests.hostile import seed_texts

HUGE_BYTES = 50 * 1024 * 1024


def _head_body(text: str) -> tuple[str, str]:
    head, body = text.strip().split("\n", 1)
    return head, body.strip()


def _deep(value: object, depth: int) -> object:
    for i in range(depth):
        value = [value] if i % 2 else {"text": value}
    return value


def build_probe_landing(root: Path) -> dict[str, str]:
    """The seeds plus one file per trigger; returns what each trigger file must become."""
    shutil.copytree(SEEDS_RAW, root)
    seeds = seed_texts()
    h0, b0 = _head_body(seeds[0])
    h1, b1 = _head_body(seeds[1])
    h2, b2 = _head_body(seeds[2])
    good = {"title": h1, "content": b1, "url": "https://sana.sy/?p=11"}
    files = {
        # a lone surrogate escape in the middle of the body (written as is: json.dumps would not write one)
        "surrogate.json": [good, {"title": SurrogateText(h2, "\\udfff"), "url": "https://sana.sy/?p=12",
                                  "content": JsonRaw(json.dumps(b2[:300], ensure_ascii=False)[:-1] + "\\ud800"
                                                     + json.dumps(b2[300:], ensure_ascii=False)[1:])}],
        "bigint.json": [{**good, "url": "https://sana.sy/?p=21"},
                        {"title": h2, "content": b2, "views": JsonRaw("9" * 5000), "url": "https://sana.sy/?p=22"}],
        "deep.json": [{**good, "url": "https://sana.sy/?p=31"}, {"title": h2, "content": _deep(b2, 980)}],
    }
    for name, doc in files.items():
        (root / name).write_bytes(dumps(doc).encode("utf-8", "surrogatepass"))
    paras = "".join(f"<p>{p}</p>" for p in b0.split("\n") if p.strip()).replace("</p>", "\x01</p>", 1)
    (root / "control.html").write_text(f"<html><head><title>{h0}</title></head><body><article><h1>{h0}</h1>"
                                       f"{paras}</article></body></html>", encoding="utf-8")
    # invisible and control characters inside a word, and C0/C1 controls in the text
    (root / "invisible.txt").write_text(
        seeds[0].replace("هانغتشو", "هانغ\u2060تشو").replace("\n\n", "\n\n\x07\u180e\u2061\ufff9\x1b\x84\x9b", 3),
        encoding="utf-8")
    (root / ".hidden.txt").write_text(seeds[3], encoding="utf-8")
    line = " ".join(b1.split())
    with open(root / "huge_article.txt", "w", encoding="utf-8") as fh:  # 50 MB, one line
        fh.write(h1 + " ")
        written = 0
        while written < HUGE_BYTES:
            fh.write(line + " ")
            written += len(line.encode()) + 1
    return {"surrogate.json": "loaded", "bigint.json": "loaded", "deep.json": "loaded", "control.html": "loaded",
            "invisible.txt": "loaded", ".hidden.txt": "skipped", "huge_article.txt": "loaded"}


def _tmpfs(path: Path, size: str) -> bool:
    """Mount a small tmpfs at ``path`` (needs root; False where the machine does not allow it)."""
    path.mkdir(parents=True, exist_ok=True)
    try:
        proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                              capture_output=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return proc.returncode == 0


@pytest.fixture(scope="module")
def probe(tmp_path_factory):
    root = tmp_path_factory.mktemp("probe")
    landing = root / "landing"
    expected = build_probe_landing(landing)
    disk = root / "disk"
    mounted = _tmpfs(disk, "160m")
    wh = disk / "wh 'quoted' \"dir\""
    first = run_khabar("run", "--landing", str(landing), "--warehouse", str(wh), "--json")
    yield landing, wh, expected, first, mounted, disk
    if mounted:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True, timeout=20)


def test_triggers_load_beside_the_good_files_and_everything_is_accounted_for(probe):
    landing, wh, expected, first, _, _ = probe
    assert first.returncode == 0, first.stderr[-3000:]
    assert "Traceback" not in first.stderr
    assert check_run(landing, wh, first, None) == []
    s = summary_of(first)
    con = duckdb.connect(str(wh / "news.duckdb"), read_only=True)
    status = dict(con.execute("SELECT source_file, status FROM ingest_files WHERE run_id = ?", [s["run_id"]]).fetchall())
    for name, want in expected.items():
        assert status[name] == want, (name, status[name])
    for seed in SEEDS_RAW.glob("*.txt"):
        assert status[seed.name] == "loaded"
    codes = dict(((f, r), c) for f, r, c in con.execute(
        "SELECT source_file, source_record, reason_code FROM quarantine WHERE run_id = ?", [s["run_id"]]).fetchall())
    assert codes == {("deep.json", 1): "nested_too_deep", ("huge_article.txt", 0): "oversized_record"}
    arts = {(f, r): body for f, r, body in con.execute("SELECT source_file, source_record, body FROM articles").fetchall()}
    for key in [("surrogate.json", 0), ("surrogate.json", 1), ("bigint.json", 0), ("bigint.json", 1),
                ("deep.json", 0), ("control.html", 0), ("invisible.txt", 0)]:
        assert key in arts, key
    assert "\ufffd" in arts[("surrogate.json", 1)]  # the lone surrogate, replaced
    assert "هانغتشو" in arts[("invisible.txt", 0)]
    reason = con.execute("SELECT reason FROM ingest_files WHERE source_file = '.hidden.txt'").fetchone()[0]
    assert reason.startswith("hidden name")
    stored = con.execute("SELECT stored_path FROM quarantine WHERE source_file = 'huge_article.txt'").fetchone()[0]
    assert (wh / stored).stat().st_size == (landing / "huge_article.txt").stat().st_size
    con.close()


def test_search_finds_the_word_written_with_a_joiner(probe):
    _, wh, _, first, _, _ = probe
    assert first.returncode == 0
    found = run_khabar("search", "هانغتشو", "--warehouse", str(wh))
    assert found.returncode == 0 and found.stdout.count("\n") >= 2, found.stdout + found.stderr


def test_full_disk_is_one_line_and_the_report_keeps_the_last_real_result(probe, tmp_path):
    landing, wh, _, first, mounted, disk = probe
    if not mounted:
        pytest.skip("cannot mount a tmpfs here (not root)")
    assert first.returncode == 0
    report = (wh / "reports" / "index.html").read_text(encoding="utf-8")
    more = tmp_path / "more"
    more.mkdir()
    for i, text in enumerate(seed_texts()):
        (more / f"new-{i}.txt").write_text(text.replace("\n", f"\n\nفقرة جديدة رقم {i}.\n", 1), encoding="utf-8")
    filler = disk / "filler"
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    with open(filler, "wb") as fh:
        fh.truncate(0)
        os.posix_fallocate(fh.fileno(), 0, max(0, free - 300 * 1024))
    try:
        proc = run_khabar("run", "--landing", str(more), "--warehouse", str(wh))
    finally:
        filler.unlink()
    assert proc.returncode == 2, proc.stdout[-2000:] + proc.stderr[-3000:]
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "No space left on device" in lines[0] and str(disk) in lines[0], proc.stderr
    assert (wh / "reports" / "index.html").read_text(encoding="utf-8") == report
    con = duckdb.connect(str(wh / "news.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM runs").fetchone()[0] == 1
    con.close()


def test_a_reader_never_holds_a_run_back_and_a_deleted_partition_is_restored(probe):
    """A read-only connection open for the whole run: the run publishes without waiting for it (a new
    version of the database replaces the file), the reader keeps the state it opened, a new one sees the run."""
    landing, wh, _, first, _, _ = probe
    assert first.returncode == 0
    run_id = summary_of(first)["run_id"]
    part = wh / "parquet" / "articles" / f"run_id={run_id}" / "part-0.parquet"
    rows = pq.read_metadata(part).num_rows
    part.unlink()
    reader = duckdb.connect(str(wh / "news.duckdb"), read_only=True)
    try:
        runs_before = reader.execute("SELECT count(*) FROM runs").fetchone()[0]
        proc = run_khabar("run", "--landing", str(landing), "--warehouse", str(wh), "--json", "--lock-wait", "1")
        assert proc.returncode == 0, proc.stderr[-3000:]
        assert "waiting" not in proc.stdout + proc.stderr and "Traceback" not in proc.stderr
        assert reader.execute("SELECT count(*) FROM runs").fetchone()[0] == runs_before
    finally:
        reader.close()
    s = summary_of(proc)
    assert s["files_loaded"] == 0 and s["articles_loaded"] == 0  # a no-op for the data
    assert any("differed from the database" in note for note in s["mirror"]), s
    assert pq.read_metadata(part).num_rows == rows
    after = subprocess.run([sys.executable, "-c", "import duckdb, sys; print(duckdb.connect(sys.argv[1], "
                            "read_only=True).execute('SELECT count(*) FROM runs').fetchone()[0])",
                            str(wh / "news.duckdb")], capture_output=True, text=True, timeout=60)
    assert int(after.stdout) == runs_before + 1, after.stderr


def test_a_writer_that_stays_makes_the_run_exit_2(probe):
    """Another program holding the database open for writing (khabar never does) is waited for, up to
    --lock-wait, when the run starts; then one line and exit status 2."""
    landing, wh, _, first, _, _ = probe
    assert first.returncode == 0
    writer = duckdb.connect(str(wh / "news.duckdb"))
    try:
        proc = run_khabar("run", "--landing", str(landing), "--warehouse", str(wh), "--lock-wait", "1")
    finally:
        writer.close()
    assert proc.returncode == 2, proc.stderr[-3000:]
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "held open by process" in lines[0]


def test_search_waits_for_a_publish(probe):
    _, wh, _, first, _, _ = probe
    assert first.returncode == 0
    writer = duckdb.connect(str(wh / "news.duckdb"))
    threading.Timer(3.0, writer.close).start()
    found = run_khabar("search", "سوريا", "--warehouse", str(wh))
    assert found.returncode == 0 and "waiting for process" in found.stderr, found.stderr
    assert found.stdout.count("\n") >= 1


def test_a_damaged_database_is_one_line_and_restore_rebuilds_it(probe, tmp_path):
    _, wh, _, first, _, _ = probe
    assert first.returncode == 0
    copy = tmp_path / "wh 'copy'"
    shutil.copytree(wh, copy)
    con = duckdb.connect(str(copy / "news.duckdb"), read_only=True)
    before = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("articles", "quotes", "mentions", "entities", "ingest_files", "quarantine", "runs")}
    con.close()
    for damage in (b"", os.urandom(8192), (copy / "news.duckdb").read_bytes()[:300_000]):
        (copy / "news.duckdb").write_bytes(damage)
        for args in (("run", "--landing", str(SEEDS_RAW), "--warehouse", str(copy)),
                     ("search", "سوريا", "--warehouse", str(copy))):
            proc = run_khabar(*args)
            lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
            assert proc.returncode == 2 and len(lines) == 1, (args[0], len(damage), proc.stderr[-3000:])
            assert "khabar restore" in lines[0] and "Traceback" not in proc.stderr
    proc = run_khabar("restore", "--warehouse", str(copy))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert list(copy.glob("news.duckdb.damaged-*"))
    con = duckdb.connect(str(copy / "news.duckdb"), read_only=True)
    after = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in before}
    assert con.execute("SELECT count(*) FROM internal.article_signatures").fetchone()[0] == after["articles"]
    con.close()
    assert after == before
    found = run_khabar("search", "هانغتشو", "--warehouse", str(copy))
    assert found.returncode == 0 and found.stdout.count("\n") >= 2


@pytest.mark.parametrize("args,words", [
    (("search", "x", "--limit", "-1"), "--limit"),
    (("search", "x", "--limit", "many"), "--limit"),
    (("run", "--workers", "0"), "--workers"),
    (("run", "--lock-wait", "-5"), "--lock-wait"),
    (("run", "--reference-date", "2016-13-45"), "not a date"),
    (("frobnicate",), "invalid choice"),
])
def test_bad_option_values_are_one_line(args, words):
    proc = run_khabar(*args)
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert proc.returncode == 2 and len(lines) == 1 and words in lines[0], proc.stderr


def test_landing_and_warehouse_must_be_apart(tmp_path):
    landing = tmp_path / "landing"
    shutil.copytree(SEEDS_RAW, landing)
    for wh in (landing, landing / "wh", tmp_path):
        proc = run_khabar("run", "--landing", str(landing), "--warehouse", str(wh))
        lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
        assert proc.returncode == 2 and len(lines) == 1 and "landing" in lines[0], (wh, proc.stderr)
    assert not (landing / "wh").exists() and not (landing / "news.duckdb").exists()


def test_missing_cloud_credentials_are_one_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "none"), AWS_CONFIG_FILE=str(tmp_path / "none"),
               AWS_EC2_METADATA_DISABLED="true", AWS_ENDPOINT_URL="http://127.0.0.1:9")
    proc = subprocess.run([*KHABAR, "run", "--landing", "s3://news/landing/", "--warehouse", str(tmp_path / "wh")],
                          cwd=ROOT, env={**env, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
                          timeout=120)
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert proc.returncode == 2 and len(lines) == 1 and "credentials" in lines[0], proc.stderr[-3000:]
