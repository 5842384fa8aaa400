"""flows.landing on the hostile landing folder: every file accounted for, nothing outside it read."""
from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

import pytest

from flows.landing import LandingEntry, ReadProblem, discover, read_bytes, read_entry
from tests.hostile import XSS_LITERAL, build_hostile_landing, expected_files
from transforms.formats import Limits, parse_file

SECRET = b"TOP-SECRET-OUTSIDE-THE-LANDING-FOLDER"


def within(seconds: float, fn, *args):  # noqa: ANN001, ANN202 - run fn, failing (not hanging) if it blocks
    box: dict = {}

    def target() -> None:
        try:
            box["value"] = fn(*args)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test thread
            box["error"] = exc

    t = threading.Thread(target=target, daemon=True)
    t.start()
    t.join(seconds)
    assert not t.is_alive(), f"{fn.__name__} blocked for {seconds}s (opened a FIFO?)"
    if "error" in box:
        raise box["error"]
    return box["value"]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, Path, dict[str, str]]:
    base = tmp_path_factory.mktemp("hostile")
    outside = base / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_bytes(SECRET)
    landing = base / "landing"
    expected = build_hostile_landing(landing)
    os.symlink(outside / "secret.txt", landing / "secret_link.txt")  # absolute link out
    os.symlink("../../outside/secret.txt", landing / "text" / "rel_escape.txt")  # relative link out
    expected["secret_link.txt"] = "quarantined:link_outside_landing"
    expected["text/rel_escape.txt"] = "quarantined:link_outside_landing"
    return landing, outside, expected


def simulate_run(entries: list[LandingEntry], limits: Limits | None = None) -> dict[str, str]:
    """What the pipeline makes of the entries, keyed like hostile.build_hostile_landing's expectations."""
    got: dict[str, str] = {}
    seen: set[str] = set()
    for e in entries:
        try:
            data = read_entry(e, limits)
        except ReadProblem as p:
            got[e.rel] = f"quarantined:{p.reason_code}"
            continue
        digest = hashlib.sha256(data).hexdigest()
        if digest in seen:
            got[e.rel] = "skipped"
            continue
        seen.add(digest)
        f = parse_file(e.rel, data, limits)
        if f.reason:
            got[e.rel] = f"quarantined:{f.reason}"
            continue
        got[e.rel] = "loaded"
        for r in f.records:
            got[f"{r.source_file}#{r.source_record}"] = "article:escaped" if XSS_LITERAL in r.text else "article"
        for q in f.quarantined:
            key = q.source_file if q.source_record is None else f"{q.source_file}#{q.source_record}"
            got[key] = f"quarantined:{q.reason_code}"
    return got


def test_every_landing_file_is_listed_exactly_once(hostile):
    landing, _, expected = hostile
    entries = within(20, discover, landing)
    rels = [e.rel for e in entries]
    assert len(rels) == len(set(rels))
    on_disk = {str(p.relative_to(landing)) for p in landing.rglob("*") if not p.is_dir() or p.is_symlink()}
    assert set(rels) == on_disk == set(expected_files(expected))
    assert entries == discover(landing)  # deterministic


def test_hostile_landing_outcomes_match_expectations(hostile):
    landing, _, expected = hostile
    got = within(60, lambda: simulate_run(discover(landing)))
    assert got == expected


def test_nothing_outside_the_landing_folder_is_opened_or_read(hostile, monkeypatch):
    landing, outside, _ = hostile
    opened: list[str] = []
    real_open = os.open

    def spy(path, flags, *args, **kwargs):  # noqa: ANN001, ANN202
        opened.append(os.path.realpath(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", spy)
    entries = within(20, discover, landing)
    blobs = []
    for e in entries:
        try:
            blobs.append(read_entry(e))
        except ReadProblem:
            pass
        if e.problem is not None:
            blobs.append(e.problem.raw)
    root = os.path.realpath(landing)
    assert opened and all(p.startswith(root + os.sep) for p in opened)
    assert not any(SECRET in b for b in blobs)
    assert not any(p.startswith(os.path.realpath(outside)) for p in opened)


def test_link_problems_store_the_link_target_not_its_content(hostile):
    landing, outside, _ = hostile
    by_rel = {e.rel: e for e in discover(landing)}
    assert by_rel["passwd_link.txt"].problem.raw == b"/etc/passwd"
    assert by_rel["secret_link.txt"].problem.raw == str(outside / "secret.txt").encode()
    assert by_rel["text/rel_escape.txt"].problem.raw == b"../../outside/secret.txt"
    with pytest.raises(ReadProblem) as err:
        read_entry(by_rel["passwd_link.txt"])
    assert err.value.reason_code == "link_outside_landing"


def test_alias_link_is_listed_after_its_target_and_points_to_it(hostile):
    landing, _, _ = hostile
    entries = discover(landing)
    alias = next(e for e in entries if e.rel == "zz_alias.txt")
    assert alias.problem is None and alias.link_target == "text/good_utf8.txt"
    assert [e.rel for e in entries].index("text/good_utf8.txt") < entries.index(alias)
    assert all(e.link_target for e in entries[entries.index(alias):])  # links come last
    assert read_entry(alias) == (landing / "text" / "good_utf8.txt").read_bytes()


def test_fifo_is_never_opened(hostile):
    landing, _, _ = hostile
    fifo = next(e for e in discover(landing) if e.rel == "pipe.txt")
    assert fifo.problem.reason_code == "not_regular_file" and "FIFO" in fifo.problem.detail
    with pytest.raises(ReadProblem) as err:  # even when asked directly: O_NONBLOCK, then fstat says FIFO
        within(5, read_bytes, landing / "pipe.txt")
    assert err.value.reason_code == "not_regular_file"


def test_oversized_sparse_file_is_refused_without_reading_it(hostile):
    landing, _, _ = hostile
    huge = next(e for e in discover(landing) if e.rel == "huge.txt")
    assert huge.size == Limits().max_file_bytes + 1
    before = _bytes_read_by_this_process()
    with pytest.raises(ReadProblem) as err:
        read_entry(huge)
    assert err.value.reason_code == "oversized"
    assert _bytes_read_by_this_process() - before < 1 << 20  # the refusal comes from fstat, not a read


def _bytes_read_by_this_process() -> int:
    """``rchar`` from /proc/self/io: every byte this process has had from read() calls so far."""
    io = Path("/proc/self/io").read_text()
    return int(next(line.split()[1] for line in io.splitlines() if line.startswith("rchar:")))


def test_small_limits_make_a_normal_file_oversized(tmp_path):
    (tmp_path / "a.txt").write_text("خبر عاجل من دمشق", encoding="utf-8")
    [e] = discover(tmp_path)
    with pytest.raises(ReadProblem) as err:
        read_entry(e, Limits(max_file_bytes=10))
    assert err.value.reason_code == "oversized"
    assert read_entry(e, Limits(max_file_bytes=100)) == "خبر عاجل من دمشق".encode()


def test_hidden_files_and_the_warehouse_are_skipped(tmp_path):
    landing = tmp_path / "landing"
    (landing / "wh" / "parquet").mkdir(parents=True)
    (landing / "wh" / "parquet" / "x.txt").write_text("ignored")
    (landing / ".git").mkdir()
    (landing / ".git" / "HEAD").write_text("ref")
    (landing / ".a.txt.Xy12").write_text("partial upload")
    (landing / "a.txt").write_text("خبر")
    assert [e.rel for e in discover(landing, exclude=[landing / "wh"])] == ["a.txt"]
    assert [e.rel for e in discover(landing, exclude=[landing / "wh"], include_hidden=True)] == [
        ".a.txt.Xy12", ".git/HEAD", "a.txt"]
    os.symlink(landing / "wh" / "parquet" / "x.txt", landing / "into_wh.txt")
    by_rel = {e.rel: e for e in discover(landing, exclude=[landing / "wh"])}
    assert by_rel["into_wh.txt"].problem.reason_code == "link_outside_landing"


def test_awkward_links(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_text("خبر")
    os.symlink("d", tmp_path / "dir_link")
    os.symlink("nowhere.txt", tmp_path / "dangling.txt")
    os.symlink("loop2", tmp_path / "loop1")
    os.symlink("loop1", tmp_path / "loop2")
    os.symlink("dir_link/a.txt", tmp_path / "chain.txt")
    os.mkfifo(tmp_path / "fifo")
    os.symlink("fifo", tmp_path / "fifo_link")
    got = {e.rel: (e.problem.reason_code if e.problem else "ok") for e in within(10, discover, tmp_path)}
    assert got == {"d/a.txt": "ok", "dir_link": "not_regular_file", "dangling.txt": "unreadable",
                   "loop1": "unreadable", "loop2": "unreadable", "chain.txt": "ok", "fifo": "not_regular_file",
                   "fifo_link": "not_regular_file"}


def test_undecodable_file_names_become_valid_text(tmp_path):
    name = os.fsencode(str(tmp_path)) + b"/caf\xe9.txt"
    with open(name, "wb") as fh:
        fh.write("خبر".encode())
    [e] = discover(tmp_path)
    assert e.rel == "caf\\xe9.txt" and e.rel.encode("utf-8")
    assert read_entry(e) == "خبر".encode()


def test_a_file_swapped_for_a_symlink_after_discovery_is_not_followed(tmp_path):
    (tmp_path / "a.txt").write_text("خبر")
    [e] = discover(tmp_path)
    (tmp_path / "a.txt").unlink()
    os.symlink("/etc/passwd", tmp_path / "a.txt")
    with pytest.raises(ReadProblem) as err:
        read_entry(e)
    assert err.value.reason_code == "unreadable"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files regardless of permissions")
def test_unreadable_file_and_folder(tmp_path):
    (tmp_path / "locked.txt").write_text("x")
    (tmp_path / "locked.txt").chmod(0)
    (tmp_path / "closed").mkdir()
    (tmp_path / "closed" / "b.txt").write_text("x")
    (tmp_path / "closed").chmod(0)
    try:
        got = {e.rel: e.problem.reason_code for e in discover(tmp_path)}
    finally:
        (tmp_path / "closed").chmod(0o755)
    assert got == {"locked.txt": "unreadable", "closed": "unreadable"}


def test_permission_denied_is_unreadable_even_when_running_as_root(tmp_path, monkeypatch):
    (tmp_path / "locked.txt").write_text("x")
    (tmp_path / "ok.txt").write_text("خبر")
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: not str(p).endswith("locked.txt") and real_access(p, mode))
    got = {e.rel: (e.problem.reason_code if e.problem else "ok") for e in discover(tmp_path)}
    assert got == {"locked.txt": "unreadable", "ok.txt": "ok"}


def test_a_landing_folder_inside_the_warehouse_is_still_read(tmp_path):
    landing = tmp_path / "wh" / "inbox"
    (landing / "sub").mkdir(parents=True)
    (landing / "sub" / "a.txt").write_text("خبر")
    os.symlink("sub/a.txt", landing / "link.txt")
    got = {e.rel: e.problem for e in discover(landing, exclude=[tmp_path / "wh"])}
    assert got == {"sub/a.txt": None, "link.txt": None}
    assert discover(landing, exclude=[landing]) == discover(landing)
