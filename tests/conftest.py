from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpora" / "saudinewsnet-dev"
SEEDS_RAW = ROOT / "seeds" / "raw"
KHABAR = [sys.executable, "-m", "flows.cli"]


def khabar_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    env.setdefault("GX_ANALYTICS_ENABLED", "false")
    env["PYTHONPATH"] = str(ROOT)
    return env


def run_khabar(*args: str, timeout: float = 600, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run the real command line in a subprocess, as a user would."""
    return subprocess.run([*KHABAR, *args], cwd=cwd, env=khabar_env(), capture_output=True, text=True,
                          timeout=timeout)


# The codes Prefect's own client retries: its server answers 503 when SQLite is locked by a concurrent write
# (the scheduler, the runner), and the write was rolled back, so the request is safe to send again.
PREFECT_RETRY_CODES = frozenset({408, 429, 502, 503})


def prefect_api(url: str, body: dict | None = None, attempts: int = 8) -> dict | list:
    """GET (or POST `body` to) the Prefect API and return its JSON, retrying as Prefect's client does."""
    data = json.dumps(body).encode() if body is not None else None
    for attempt in range(attempts):
        req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"},
                                     method="POST" if body is not None else "GET")
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return json.loads(resp.read())
        except urllib.error.HTTPError as err:
            if err.code not in PREFECT_RETRY_CODES or attempt == attempts - 1:
                raise
            retry_after = err.headers.get("Retry-After", "")
            time.sleep(float(retry_after) if retry_after.isdigit() else min(2 ** attempt, 10))
    raise AssertionError("unreachable")


def summary_of(proc: subprocess.CompletedProcess) -> dict:
    lines = [ln for ln in proc.stdout.strip().splitlines() if ln.strip()]
    assert lines, f"no output; stderr:\n{proc.stderr[-3000:]}"
    return json.loads(lines[-1])


@pytest.fixture(scope="session", autouse=True)
def prefect_home(tmp_path_factory) -> Path:
    """One PREFECT_HOME for the session: the first run starts its resident Prefect server, the others use
    it, and it is stopped when the session ends."""
    from flows import server

    home = tmp_path_factory.mktemp("prefect-home")
    before = os.environ.get("PREFECT_HOME")
    os.environ["PREFECT_HOME"] = str(home)
    yield home
    server.stop(home)
    if before is None:
        os.environ.pop("PREFECT_HOME", None)
    else:
        os.environ["PREFECT_HOME"] = before


@pytest.fixture(autouse=True)
def _environment_restored() -> Iterator[None]:
    """A test that runs the command line in this process (``flows.cli.main``) leaves what the command set in
    ``os.environ`` (the API URL, quiet logging): restore it, so that later tests' commands start as a user's."""
    before = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(before)


@pytest.fixture(scope="session")
def seeds_warehouse(tmp_path_factory) -> tuple[Path, dict]:
    """One real run of the command line over seeds/raw/ (shared by the end-to-end tests)."""
    wh = tmp_path_factory.mktemp("wh-seeds")
    proc = run_khabar("run", "--landing", str(SEEDS_RAW), "--warehouse", str(wh), "--json")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-5000:]
    return wh, summary_of(proc)


def corpus_zips() -> list[Path]:
    return sorted(CORPUS.glob("*.zip")) if CORPUS.is_dir() else []


requires_corpus = pytest.mark.skipif(not corpus_zips(), reason="dev corpus ../shared/corpora/saudinewsnet-dev absent")
