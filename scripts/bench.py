#!/usr/bin/env python3
"""khabar benchmark (``make bench``): the whole pipeline over the dev corpus against the floor.

Every run uses the resident Prefect server and runner (``khabar server start``; started here if none is up,
and stopped again at the end if they were). Prints: articles, wall seconds, articles/s, peak RSS (whole process tree), the
second run's time (nothing new), a run after one new seed file lands, the floor measured in the same session (read + parse every article, build body_norm, one pass of a
quote, a dateline and a date regex, one process), the ratio wall/floor, the per-stage split, the 1×/2×/4×
scaling table, and the time to pick up one new file in a landing of thousands.

    .venv/bin/python scripts/bench.py [--corpus DIR] [--out DIR] [--skip-scaling] [--skip-incremental]
"""
from __future__ import annotations

import argparse
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flows import runner, server  # noqa: E402
from transforms.arabic.chars import ARABIC_BLOCK  # noqa: E402
from transforms.normalize import normalize_for_search  # noqa: E402

QUOTE = re.compile(r"[\"“«]([^\"”»]{3,400})[\"”»]")
DATELINE = re.compile(rf"^\s*([{ARABIC_BLOCK} ]{{2,30}})\s*[-–:]\s*([{ARABIC_BLOCK} ]{{2,20}})")
DATE = re.compile(rf"\b(\d{{1,2}})\s+([{ARABIC_BLOCK}]+)\s+(\d{{4}})")


def read_corpus(corpus: Path):
    for z in sorted(corpus.glob("*.zip")):
        with zipfile.ZipFile(z) as zf:
            for name in zf.namelist():
                if name.endswith(".json"):
                    yield from json.loads(zf.read(name).decode("utf-8"))


def floor_seconds(corpus: Path) -> tuple[float, int]:
    """The least work any pipeline must do over the corpus, in one process."""
    t = time.perf_counter()
    n = 0
    for art in read_corpus(corpus):
        text = art.get("content") or ""
        normalize_for_search(text)
        QUOTE.findall(text)
        DATELINE.match(text)
        DATE.findall(text)
        n += 1
    return time.perf_counter() - t, n


def _tree_memory(ps: psutil.Process) -> tuple[int, int]:
    """(RSS summed over the process tree, PSS summed over it). Forked workers share the parent's pages, which
    a plain RSS sum counts once per process; PSS divides each shared page among its sharers."""
    rss = pss = 0
    for p in [ps, *ps.children(recursive=True)]:
        try:
            info = p.memory_full_info()
            rss += info.rss
            pss += getattr(info, "pss", info.rss)
        except psutil.Error:
            pass
    return rss, pss


PEAK_PSS: list[int] = []


def run_measured(landing: Path, warehouse: Path, extra: list[str] | None = None) -> tuple[dict, float, int]:
    """Run `khabar run --json` and sample the memory of its whole process tree; return summary, wall, peak RSS
    sum (the peak PSS sum is appended to PEAK_PSS)."""
    env = dict(os.environ, PREFECT_SERVER_ANALYTICS_ENABLED="false", GX_ANALYTICS_ENABLED="false",
               PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-m", "flows.cli", "run", "--landing", str(landing), "--warehouse", str(warehouse),
           "--json", *(extra or [])]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = peak_pss = 0
    ps = psutil.Process(proc.pid)
    while proc.poll() is None:
        try:
            rss, pss = _tree_memory(ps)
            peak, peak_pss = max(peak, rss), max(peak_pss, pss)
        except psutil.Error:
            pass
        time.sleep(0.1)
    PEAK_PSS.append(peak_pss)
    out, err = proc.communicate()
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        sys.exit(f"khabar run failed ({proc.returncode}):\n{err[-4000:]}")
    summary = json.loads(out.strip().splitlines()[-1])
    return summary, wall, peak


def make_copies(corpus: Path, dest: Path, copies: int) -> Path:
    """`copies` × the corpus, each copy's text made distinct (a copy tag in every paragraph)."""
    dest.mkdir(parents=True, exist_ok=True)
    for c in range(copies):
        for z in sorted(corpus.glob("*.zip")):
            if c == 0:
                shutil.copy(z, dest / z.name)
                continue
            with zipfile.ZipFile(z) as zf:
                name = [n for n in zf.namelist() if n.endswith(".json")][0]
                arts = json.loads(zf.read(name).decode("utf-8"))
            for a in arts:
                tag = f" [نسخة {c}]"
                a["content"] = "\n".join(line + tag if line.strip() else line
                                         for line in (a.get("content") or "").split("\n"))
                a["title"] = (a.get("title") or "") + tag
                a["url"] = (a.get("url") or "") + f"#copy{c}"
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
                out.writestr(name, json.dumps(arts, ensure_ascii=False))
            (dest / f"copy{c}-{z.name}").write_bytes(buf.getvalue())
    return dest


def incremental(corpus: Path, out: Path, files: int = 3000) -> tuple[int, float, float]:
    """A landing of thousands of one-article files; add one file and time the next run."""
    landing = out / "incremental-landing"
    shutil.rmtree(landing, ignore_errors=True)
    landing.mkdir(parents=True)
    arts = []
    for a in read_corpus(corpus):
        if len(a.get("content") or "") > 200:
            arts.append(a)
        if len(arts) > files + 1:
            break
    for i, a in enumerate(arts[:files]):
        (landing / f"{i // 500:02d}").mkdir(exist_ok=True)
        (landing / f"{i // 500:02d}" / f"a{i:05d}.json").write_text(json.dumps(a, ensure_ascii=False), "utf-8")
    wh = out / "incremental-wh"
    shutil.rmtree(wh, ignore_errors=True)
    _, first, _ = run_measured(landing, wh)
    (landing / "new.json").write_text(json.dumps(arts[files], ensure_ascii=False), "utf-8")
    summary, second, _ = run_measured(landing, wh)
    assert summary["files_loaded"] == 1, summary
    return files, first, second


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpora" / "saudinewsnet-dev")
    ap.add_argument("--out", type=Path, default=ROOT / "bench_out")
    ap.add_argument("--skip-scaling", action="store_true")
    ap.add_argument("--skip-incremental", action="store_true")
    a = ap.parse_args()
    if not a.corpus.is_dir():
        print(f"bench: corpus not found at {a.corpus}", file=sys.stderr)
        return 2
    shutil.rmtree(a.out, ignore_errors=True)
    a.out.mkdir(parents=True)

    os.environ.setdefault("PREFECT_HOME", str(server.PROJECT_PREFECT_HOME))
    resident, started = server.start()
    runner.start(resident.api_url)  # the resident runner, which runs hand their work to
    resident.wait_ready(server.startup_timeout())
    deadline = time.monotonic() + 300
    while "socket" not in (runner.recorded() or {}) and time.monotonic() < deadline:  # until it takes runs
        time.sleep(0.2)
    floor, n_floor = floor_seconds(a.corpus)
    wh = a.out / "wh"
    landing = a.out / "landing"  # the corpus, and later one seed file beside it
    landing.mkdir()
    for z in sorted(a.corpus.glob("*.zip")):
        shutil.copy(z, landing / z.name)
    summary, wall, peak = run_measured(landing, wh)
    rerun_summary, rerun, _ = run_measured(landing, wh)
    seed = sorted((ROOT / "seeds" / "raw").iterdir())[0]
    shutil.copy(seed, landing / seed.name)
    new_summary, one_new, _ = run_measured(landing, wh)
    assert new_summary["files_loaded"] == 1, new_summary
    n = summary["articles_loaded"]
    print("\nkhabar benchmark — dev corpus", a.corpus)
    print(f"{'articles':28} {n}  (records {summary['records_seen']}, quarantined {summary['records_quarantined']})")
    print(f"{'wall seconds':28} {wall:.2f}")
    print(f"{'articles per second':28} {n / wall:.0f}")
    print(f"{'peak RSS (process tree sum)':28} {peak / 2**20:.0f} MiB")
    print(f"{'peak PSS (process tree sum)':28} {PEAK_PSS[0] / 2**20:.0f} MiB  (shared pages counted once)")
    print(f"{'re-run, nothing new':28} {rerun:.2f} s  (skipped {rerun_summary['files_skipped']} files; "
          f"resident Prefect server at {resident.ui_url}; target <= 3 s)")
    print(f"{'one new seed file':28} {one_new:.2f} s  ({seed.name}: {new_summary['articles_loaded']} article(s); "
          "target <= 6 s)")
    print(f"{'floor (1 process)':28} {floor:.2f} s  over {n_floor} articles")
    print(f"{'ratio wall / floor':28} {wall / floor:.2f}")
    stages = summary.get("stage_seconds") or {}
    if stages:
        flow = float(summary.get("seconds") or 0.0)
        print(f"\nwhere the {wall:.2f} s go:")
        print(f"  {'outside the flow':26} {wall - flow:7.2f}  (interpreter, imports, Prefect's flow run records)")
        print(f"  {'the flow':26} {flow:7.2f}")
        print("per-stage seconds (those of the batch workers are summed over the workers; 'validate' and 'data docs'")
        print("run in a worker while the main process loads DuckDB and the index; 'wait for checks' is what that")
        print("load did not hide; 'report' is the monitor's pages, after the export):")
        for k, v in sorted(stages.items(), key=lambda kv: -kv[1]):
            print(f"  {k:26} {v:7.2f}")

    if not a.skip_scaling:
        print("\nscaling (copies of the corpus, text made distinct):")
        print(f"  {'copies':>6} {'articles':>9} {'wall s':>8} {'wall/1x per copy':>17} {'peak RSS MiB':>13}"
              f" {'RSS/1x':>7} {'peak PSS MiB':>13}")
        base = None
        for copies in (1, 2, 4):
            landing = make_copies(a.corpus, a.out / f"x{copies}", copies)
            s, w, p = run_measured(landing, a.out / f"x{copies}-wh")
            base = base or (w, p)
            print(f"  {copies:>6} {s['articles_loaded']:>9} {w:>8.2f} {w / (base[0] * copies):>17.2f} "
                  f"{p / 2**20:>13.0f} {p / base[1]:>7.2f} {PEAK_PSS[-1] / 2**20:>13.0f}")
            shutil.rmtree(landing, ignore_errors=True)
            shutil.rmtree(a.out / f"x{copies}-wh", ignore_errors=True)
    if not a.skip_incremental:
        files, first, second = incremental(a.corpus, a.out)
        print(f"\nincremental: landing of {files} files loaded in {first:.2f} s; one new file added: {second:.2f} s")
    if started:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
