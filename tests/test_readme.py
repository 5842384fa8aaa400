"""The README's commands and queries, run as written (issue 11: "the README examples all run as written").

Every command line of the README's ``sh`` blocks runs with bash, in README order, in a folder laid out like a
checkout (``seeds/``, ``.venv/``, ``prefect.yaml`` linked from this one; ``warehouse/`` its own). The few that
cannot run in a test are listed in ``NOT_RUN`` with the reason, and checked as far as can be: a khabar command line
must be accepted by the parser, a make target must exist. Every statement of the ``sql`` blocks then runs through
``khabar sql`` on the warehouse those commands made, and must return rows.
"""
from __future__ import annotations

import json
import re
import shlex
import subprocess
from pathlib import Path

import pytest

from flows.cli import build_parser
from tests.conftest import ROOT, khabar_env

README = ROOT / "README.md"
KHABAR = ROOT / ".venv" / "bin" / "khabar"
FENCE = re.compile(r"^```(\w+)\n(.*?)^```", re.M | re.S)
# Command lines that are not run here (matched by their start), and why.
NOT_RUN = {
    "make run": "the install, then `.venv/bin/khabar run --landing seeds/raw --warehouse warehouse` (run here)",
    "make test": "the test suite itself",
    "make lint": "ruff over the tree (its own CI step)",
    "make eval": "minutes over the dev corpus",
    "make train": "a minute of CRF training that rewrites the committed model (tests/test_entity_model.py checks it)",
    "make clusters": "two minutes over the news corpora that rewrite the committed word classes "
                     "(tests/test_entity_clusters.py builds them from a small text)",
    "make bench": "minutes over the dev corpus",
    "make fuzz": "10,000 fuzzed inputs, an hour",
    ".venv/bin/khabar serve": "serves until stopped (tests/test_schedule.py runs the schedule)",
    ".venv/bin/khabar run --landing s3://": "needs a Dask cluster and S3 (tests/test_scaleout.py runs both locally)",
    ".venv/bin/khabar run --runner dask": "tests/test_scaleout.py runs the local Dask cluster",
}


def blocks(lang: str) -> list[str]:
    return [body for kind, body in FENCE.findall(README.read_text(encoding="utf-8")) if kind == lang]


def command_lines() -> list[str]:
    """The command lines of the sh blocks: continuation lines joined, comment lines dropped."""
    lines = []
    for body in blocks("sh"):
        for line in body.replace("\\\n", " ").splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                lines.append(" ".join(line.split(" #")[0].split()) if " #" in line else line.strip())
    return lines


def sql_statements() -> list[str]:
    """The statements of the sql blocks, each with its leading comment (the query's title)."""
    statements = []
    for body in blocks("sql"):
        statements += [s.strip() for s in body.split(";") if s.strip()]
    return statements


def not_run_reason(line: str) -> str | None:
    return next((why for start, why in NOT_RUN.items() if line.startswith(start)), None)


COMMANDS = command_lines()
STATEMENTS = sql_statements()


def test_the_readme_has_examples_to_run():
    assert len(STATEMENTS) >= 7
    run = [c for c in COMMANDS if not_run_reason(c) is None]
    assert any(c.startswith(".venv/bin/khabar run") for c in run)
    assert {c.split()[1] for c in run if c.startswith(".venv/bin/khabar ")} >= {"run", "search", "sql", "restore"}


@pytest.mark.parametrize("line", [c for c in COMMANDS if not_run_reason(c) is not None])
def test_commands_not_run_here_are_valid(line):
    words = shlex.split(line)
    if words[0] == "make":
        assert re.search(rf"^{re.escape(words[1])}:", (ROOT / "Makefile").read_text(), re.M), line
    else:
        assert words[0] == ".venv/bin/khabar"
        build_parser().parse_args(words[1:])  # a bad option would exit 2


@pytest.fixture(scope="module")
def readme_run(tmp_path_factory) -> tuple[Path, dict[str, subprocess.CompletedProcess]]:
    """Every runnable README command line, run in order in a folder laid out like a checkout."""
    if not KHABAR.exists():
        pytest.skip("no .venv/bin/khabar (run through `make test`)")
    home = tmp_path_factory.mktemp("readme")
    for name in ("seeds", ".venv", "prefect.yaml"):
        (home / name).symlink_to(ROOT / name)
    results = {}
    for line in COMMANDS:
        if not_run_reason(line) is None:
            results[line] = subprocess.run(["bash", "-c", line], cwd=home, env=khabar_env(), capture_output=True,
                                           text=True, timeout=600)
    return home, results


@pytest.mark.slow
@pytest.mark.parametrize("line", [c for c in COMMANDS if not_run_reason(c) is None])
def test_readme_command_runs_as_written(readme_run, line):
    _, results = readme_run
    proc = results[line]
    assert proc.returncode == 0, f"{line}\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}"
    assert proc.stdout.strip() and "Traceback" not in proc.stderr, f"{line}\n{proc.stderr[-3000:]}"


@pytest.mark.slow
@pytest.mark.parametrize("statement", STATEMENTS, ids=[s.splitlines()[0][:60] for s in STATEMENTS])
def test_readme_query_runs_and_returns_rows(readme_run, statement):
    home, _ = readme_run
    proc = subprocess.run([str(KHABAR), "sql", "--format", "json", statement], cwd=home, env=khabar_env(),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert json.loads(proc.stdout), f"no rows on the sample data:\n{statement}"
