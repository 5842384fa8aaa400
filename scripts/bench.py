#!/usr/bin/env python3
"""khabar benchmark (``make bench``): the issue's two timings on the seeds warehouse, then the whole pipeline
over the dev corpus against the floor.

Every run uses the resident Prefect server and runner (``khabar server start``; started here if none is up,
and stopped again at the end if they were). First, on the warehouse a fresh clone's ``make run`` builds
(seeds/raw): a re-run with nothing new, and a run with one new seed file (a seed article with a paragraph
added, under a new name: an updated wire copy), each timed from the command's start to its exit, best and
median of ``--repeats``, with where the best one's time went. Then, over the dev corpus: articles, wall
seconds, articles/s, peak RSS (whole process tree), the same two runs against that warehouse, the floor
measured in the same session (read + parse every article, build body_norm, one pass of a quote, a dateline and
a date regex, one process), the ratio wall/floor, the per-stage split, the 1×/2×/4× scaling table, and the
time to pick up one new file in a landing of thousands.

    .venv/bin/python scripts/bench.py [--corpus DIR] [--out DIR] [--repeats N] [--seeds-only]
                                      [--skip-scaling] [--skip-incremental]
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


SEEDS_RAW = ROOT / "seeds" / "raw"
# The paragraph that makes a seed article a new file: an updated copy of the wire story (a near-duplicate of
# the stored one, in its story).
UPDATE = "\n\nوأضاف المصدر أن المحادثات ستستأنف الأسبوع المقبل في جنيف (تحديث {n})."


def run_timed(landing: Path, warehouse: Path) -> tuple[dict, float]:
    """Run `khabar run --json` as a user would (the program, nothing sampled meanwhile); its summary and its
    wall time from start to exit."""
    env = dict(os.environ, PREFECT_SERVER_ANALYTICS_ENABLED="false", GX_ANALYTICS_ENABLED="false",
               PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-m", "flows.cli", "run", "--landing", str(landing), "--warehouse", str(warehouse),
           "--json"]
    t = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        sys.exit(f"khabar run failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1]), wall


def new_seed_file(landing: Path, n: int) -> Path:
    """A new file in ``landing``: the first seed article with a paragraph added (``n`` makes each distinct)."""
    seed = sorted(SEEDS_RAW.glob("*.txt"))[0]
    path = landing / f"new-{n:02d}-{seed.name}"
    path.write_text(seed.read_text(encoding="utf-8").rstrip("\n") + UPDATE.format(n=n) + "\n", encoding="utf-8")
    return path


def noop_and_one_new(landing: Path, wh: Path, repeats: int) -> tuple[list, list]:
    """``repeats`` re-runs with nothing new over an existing warehouse, then ``repeats`` runs that each find one
    new seed file, every one against the same state (the warehouse is restored from a copy before each)."""
    noop = [run_timed(landing, wh) for _ in range(repeats)]
    for summary, _ in noop:
        assert summary["files_loaded"] == 0 and summary["status"] == "nothing_new", summary
    snapshot = wh.with_name(wh.name + "-before-new")
    shutil.rmtree(snapshot, ignore_errors=True)
    shutil.copytree(wh, snapshot)
    one_new = []
    for n in range(repeats):
        shutil.rmtree(wh)
        shutil.copytree(snapshot, wh)
        path = new_seed_file(landing, n)
        one_new.append(run_timed(landing, wh))
        path.unlink()
        assert one_new[-1][0]["files_loaded"] == 1 and one_new[-1][0]["status"] == "published", one_new[-1][0]
    shutil.rmtree(wh)
    shutil.copytree(snapshot, wh)
    shutil.rmtree(snapshot)
    return noop, one_new


def timing_line(label: str, runs: list, target: float) -> str:
    walls = sorted(w for _, w in runs)
    best = walls[0]
    return (f"{label:28} best {best:5.2f} s, median {walls[len(walls) // 2]:5.2f} s of {len(walls)}  "
            f"(target <= {target:g} s: {'met' if best <= target else 'NOT met'})")


def where_it_went(runs: list) -> list[str]:
    """The best run's wall time, split: the command up to the flow's call, the flow's steps (those of the
    publish task in the order they ran), and what is left: Prefect's flow run (created, started, finished,
    the heartbeat thread joined) and the exit."""
    summary, wall = min(runs, key=lambda r: r[1])
    startup, flow = float(summary.get("startup_seconds") or 0.0), float(summary.get("seconds") or 0.0)
    steps = dict(summary.get("flow_wall_seconds") or {})
    beside = {"ingest", "clean", "extract", "features", "write staging", "validate", "data docs"}
    stages = summary.get("stage_seconds") or {}
    steps.update({k: v for k, v in stages.items() if k not in beside})
    lines = [f"    {'start-up (the command, its hand-over to the runner)':52} {startup:5.2f}"]
    lines += [f"    {'  ' + k:52} {v:5.2f}" for k, v in steps.items() if v >= 0.005]
    if stages.get("validate") or stages.get("data docs"):
        lines.append(f"    {'    (the checks, beside load duckdb and search index:':52} "
                     f"validate {stages.get('validate', 0):.2f}, data docs {stages.get('data docs', 0):.2f}; "
                     "'wait for checks' is what the load did not hide)")
    lines.append(f"    {'  other steps of the flow':52} {max(0.0, flow - sum(steps.values())):5.2f}")
    lines.append(f"    {'the flow':52} {flow:5.2f}")
    lines.append(f"    {'Prefect flow run records, heartbeat join, exit':52} {wall - startup - flow:5.2f}")
    lines.append(f"    {'wall':52} {wall:5.2f}")
    return lines


def seeds_timings(out: Path, repeats: int) -> None:
    """The issue's timings, on the warehouse a fresh clone's `make run` builds over seeds/raw."""
    landing, wh = out / "seeds-landing", out / "seeds-wh"
    shutil.copytree(SEEDS_RAW, landing)
    first, first_wall = run_timed(landing, wh)
    noop, one_new = noop_and_one_new(landing, wh, repeats)
    print("\nkhabar benchmark — the seeds warehouse (a fresh clone's `make run`), resident server and runner up")
    print(f"{'first run':28} {first_wall:5.2f} s  ({first['articles_loaded']} articles)")
    print(timing_line("re-run, nothing new", noop, 3))
    for line in where_it_went(noop):
        print(line)
    print(timing_line("one new seed file", one_new, 6))
    for line in where_it_went(one_new):
        print(line)
    print(f"  load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores "
          "(timings on a busy machine are slower)")


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
    ap.add_argument("--repeats", type=int, default=5, help="runs per timing; the best and median are shown")
    ap.add_argument("--seeds-only", action="store_true", help="only the timings on the seeds warehouse")
    ap.add_argument("--skip-scaling", action="store_true")
    ap.add_argument("--skip-incremental", action="store_true")
    a = ap.parse_args()
    if not a.seeds_only and not a.corpus.is_dir():
        print(f"bench: corpus not found at {a.corpus}", file=sys.stderr)
        return 2
    shutil.rmtree(a.out, ignore_errors=True)
    a.out.mkdir(parents=True)

    os.environ.setdefault("PREFECT_HOME", str(server.PROJECT_PREFECT_HOME))
    started = server.recorded() is None
    # Started as a user starts it, by the program: its runner then has the settings `khabar run` sets before it
    # hands a run over (a runner started from here would have this script's, and take no run).
    subprocess.run([sys.executable, "-m", "flows.cli", "server", "start"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    resident = server.recorded()
    assert resident is not None
    deadline = time.monotonic() + 300
    while "socket" not in (runner.recorded() or {}) and time.monotonic() < deadline:  # until it takes runs
        time.sleep(0.2)
    seeds_timings(a.out, max(1, a.repeats))
    if a.seeds_only:
        if started:
            stop_server()
        return 0
    floor, n_floor = floor_seconds(a.corpus)
    wh = a.out / "wh"
    landing = a.out / "landing"  # the corpus, and later one seed file beside it
    landing.mkdir()
    for z in sorted(a.corpus.glob("*.zip")):
        shutil.copy(z, landing / z.name)
    summary, wall, peak = run_measured(landing, wh)
    noop, one_new = noop_and_one_new(landing, wh, max(1, a.repeats // 2))
    n = summary["articles_loaded"]
    print("\nkhabar benchmark — dev corpus", a.corpus)
    print(f"{'articles':28} {n}  (records {summary['records_seen']}, quarantined {summary['records_quarantined']})")
    print(f"{'wall seconds':28} {wall:.2f}")
    print(f"{'articles per second':28} {n / wall:.0f}")
    print(f"{'peak RSS (process tree sum)':28} {peak / 2**20:.0f} MiB")
    print(f"{'peak PSS (process tree sum)':28} {PEAK_PSS[0] / 2**20:.0f} MiB  (shared pages counted once)")
    print(f"resident Prefect server at {resident.ui_url}; against this warehouse of {n} articles:")
    print(timing_line("  re-run, nothing new", noop, 3))
    print(timing_line("  one new seed file", one_new, 6))
    for line in where_it_went(one_new):
        print(line)
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
        stop_server()
    return 0


def stop_server() -> None:
    subprocess.run([sys.executable, "-m", "flows.cli", "server", "stop"], cwd=ROOT, stdout=subprocess.DEVNULL,
                   env=dict(os.environ, PYTHONPATH=str(ROOT)))


if __name__ == "__main__":
    sys.exit(main())
