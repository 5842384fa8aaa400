"""SIGINT and SIGTERM at three moments of a run (batches, checks, publish) and after its COMMIT: exit 130/143,
one line on stderr, no process of the run left behind (the Prefect server, the fork server, the workers),
a consistent warehouse, and the next run completes the work (contract §1)."""
from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid
from pathlib import Path

import duckdb
import pytest

from flows.interrupt import STAGE_HANG, STAGE_PAUSE, STAGE_TRACE
from tests.conftest import KHABAR, ROOT, khabar_env, run_khabar, summary_of
from tests.test_e2e_recovery import assert_consistent, synthetic_landing

TAG = "KHABAR_SIGNAL_TEST_TAG"


def tagged_processes(tag: str) -> list[str]:
    """Live (not zombie) processes whose environment carries ``TAG=tag``: the run and all it started,
    whichever process group or session they put themselves in."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if f"{TAG}={tag}".encode() not in (proc / "environ").read_bytes().split(b"\0"):
                continue
            state = next(ln for ln in (proc / "status").read_text().splitlines() if ln.startswith("State:"))
            cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")[:120]
        except (OSError, StopIteration):
            continue
        if "zombie" not in state:
            found.append(f"{proc.name} {cmd}")
    return found


def kill_tagged(tag: str) -> None:
    """SIGKILL what is left of a run that did not stop, so that one failure does not leave processes behind
    for the tests after it."""
    for line in tagged_processes(tag):
        try:
            os.kill(int(line.split()[0]), signal.SIGKILL)
        except ProcessLookupError:
            pass


def interrupted_run(landing: Path, wh: Path, tmp: Path, moment: str, sig: int,
                    extra_env: dict[str, str] | None = None) -> tuple[subprocess.CompletedProcess, str]:
    """Start a run, send ``sig`` once it reaches ``moment``; return the finished process and the stage trace."""
    tag = uuid.uuid4().hex
    trace = tmp / f"trace-{tag}"
    env = {**khabar_env(), TAG: tag, STAGE_TRACE: str(trace), **(extra_env or {})}
    # Hold the run at the moment long enough for the signal to land there (batches and checks last seconds).
    if moment in ("publish", "export"):
        env[STAGE_PAUSE] = f"{moment}=20"
    child = subprocess.Popen([*KHABAR, "run", "--landing", str(landing), "--warehouse", str(wh)], cwd=ROOT,
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             start_new_session=True)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and child.poll() is None:
        if trace.exists() and moment in trace.read_text().split():
            break
        time.sleep(0.05)
    assert child.poll() is None, f"the run ended before {moment}: {child.communicate()}"
    time.sleep(0.5)
    if sig == signal.SIGINT:
        os.killpg(child.pid, sig)  # Ctrl-C: the terminal signals the whole foreground process group
    else:
        os.kill(child.pid, sig)  # a supervisor's SIGTERM: the main process only
    try:
        out, err = child.communicate(timeout=120)
    except subprocess.TimeoutExpired as exc:
        kill_tagged(tag)
        child.communicate()
        raise AssertionError(f"the run did not stop within 120 s of {signal.Signals(sig).name} at {moment}; "
                             f"stdout: {exc.stdout!r}") from None
    gone = time.monotonic() + 15
    while tagged_processes(tag) and time.monotonic() < gone:
        time.sleep(0.2)
    assert tagged_processes(tag) == [], "processes of the stopped run are still alive"
    return subprocess.CompletedProcess(child.args, child.returncode, out, err), trace.read_text()


# Each moment with each signal; a run at "export" is past its COMMIT: it finishes publishing, then exits.
MOMENTS = [("batches", signal.SIGINT), ("checks", signal.SIGTERM), ("publish", signal.SIGINT),
           ("batches", signal.SIGTERM), ("checks", signal.SIGINT), ("publish", signal.SIGTERM)]


@pytest.mark.slow
def test_signals_stop_the_run_cleanly_and_the_next_run_completes(tmp_path):
    landing = synthetic_landing(tmp_path, files=4, per_file=100)
    wh = tmp_path / "wh"
    for moment, sig in MOMENTS:
        proc, trace = interrupted_run(landing, wh, tmp_path, moment, sig)
        name = signal.Signals(sig).name
        assert proc.returncode == 128 + sig, (moment, name, proc.returncode, proc.stderr[-3000:])
        lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
        assert len(lines) == 1 and lines[0].startswith(f"khabar: stopped by {name}"), (moment, proc.stderr[-3000:])
        assert "after run" not in lines[0]
        assert trace.split()[-1] == moment, (moment, name, trace.split())  # it stopped where it was sent
        assert_consistent(wh)
        if (wh / "news.duckdb").exists():
            con = duckdb.connect(str(wh / "news.duckdb"), read_only=True)
            assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 0, "a stopped run published"
            con.close()

    # after COMMIT: the run completes its publish, then says so and exits 143
    proc, trace = interrupted_run(landing, wh, tmp_path, "export", signal.SIGTERM)
    assert proc.returncode == 143, proc.stderr[-3000:]
    assert [ln for ln in proc.stderr.splitlines() if ln.strip()][0].startswith("khabar: stopped by SIGTERM after run")
    assert_consistent(wh)

    done = run_khabar("run", "--landing", str(landing), "--warehouse", str(wh), "--json")
    assert done.returncode == 0, done.stderr[-3000:]
    assert summary_of(done)["files_skipped"] == 4  # all loaded by the run stopped after its COMMIT
    con = duckdb.connect(str(wh / "news.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 400
    assert con.execute("SELECT count(*) FROM runs WHERE status = 'published'").fetchone()[0] == 1
    con.close()
    assert_consistent(wh)


@pytest.mark.slow
def test_a_stop_with_no_safe_point_in_reach_is_cut_short_by_the_watchdog(tmp_path):
    """A run deaf to the signal (held where no safe point comes, as a stuck wait would) still stops: after the
    grace period it says so in one line, kills what it started, exits 143; the next run does the work."""
    landing = synthetic_landing(tmp_path, files=2, per_file=20)
    wh = tmp_path / "wh"
    proc, trace = interrupted_run(landing, wh, tmp_path, "plan", signal.SIGTERM,
                                  {STAGE_HANG: "plan=600", "KHABAR_STOP_GRACE_SECONDS": "3"})
    assert proc.returncode == 143, proc.stderr[-3000:]
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("khabar: stopped by SIGTERM: no safe point within 3 s"), lines
    assert trace.split()[-1] == "plan"
    assert_consistent(wh)
    done = run_khabar("run", "--landing", str(landing), "--warehouse", str(wh), "--json")
    assert done.returncode == 0, done.stderr[-3000:]
    assert summary_of(done)["files_loaded"] == 2
