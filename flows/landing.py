"""The landing folder, read defensively: what files there are, and their bytes.

Decisions (the contract's "nothing is lost" holds for every entry listed):

- ``discover`` walks recursively with ``lstat`` only; it never follows a directory symlink (no loops, no
  escaping the folder) and never opens anything. Entries come back sorted by POSIX relative path, regular
  files first and in-landing file links last (see below), so two runs list the same folder identically.
- A symlink whose resolved target lies outside the landing folder (or inside the excluded warehouse) is
  never read: it is listed with problem ``link_outside_landing`` and its stored bytes are the link target
  path as text. A dangling link is ``unreadable``; a link to a directory or special file is
  ``not_regular_file`` (not followed).
- A symlink to a regular file inside the landing folder is listed (``link_target`` says which file) and
  read through its resolved path. It is listed after all regular files, so its target is seen first and
  the run's content-hash check reports the link as ``skipped`` (same content) instead of loading the
  article twice.
- FIFOs, sockets and devices are ``not_regular_file`` and are never opened (opening a FIFO blocks).
  Files without read permission are ``unreadable``; so are directories that cannot be listed.
- Hidden names (a path component starting with ``.``: ``.git``, ``.DS_Store``, the ``.name.XXXX``
  temporary files rsync and scp write while a copy is still in progress) are not inputs: a run lists each
  such file (``include_hidden=True``, ``LandingEntry.hidden``) and records it as ``skipped`` with that
  reason, without opening it, so that nothing under the landing folder goes unaccounted for. Folders in
  ``exclude`` are skipped entirely (a run refuses a warehouse inside its landing folder before it gets here).
- ``rel`` is always valid UTF-8: undecodable bytes in file names appear as ``\\xNN`` escapes; ``path`` is the
  real path used for reading.
"""
from __future__ import annotations

import errno
import io
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from transforms.formats import Limits
from transforms.types import Quarantined


@dataclass
class LandingEntry:
    """One thing found under the landing folder: a readable file, or a problem that quarantines it."""

    rel: str  # POSIX path relative to the landing folder: the articles' ``source_file``
    path: Path  # absolute path to read (a link's resolved target)
    size: int  # bytes (0 for problems)
    problem: Quarantined | None = None
    link_target: str | None = None  # for in-landing file links: the rel path of the file it points to

    @property
    def hidden(self) -> bool:
        """A component of the path starts with ``.`` (see the module docstring).

        >>> LandingEntry(".git/HEAD", Path(), 0).hidden, LandingEntry("a/.b.txt", Path(), 0).hidden
        (True, True)
        >>> LandingEntry("a/b.txt", Path(), 0).hidden
        False
        """
        return any(part.startswith(".") for part in self.rel.split("/"))


class ReadProblem(Exception):
    """A landing file that cannot be read safely; ``reason_code`` is a quarantine reason."""

    def __init__(self, reason_code: str, detail: str) -> None:
        super().__init__(f"{reason_code}: {detail}")
        self.reason_code = reason_code
        self.detail = detail


def _rel_text(rel: str) -> str:
    return os.fsencode(rel).decode("utf-8", "backslashreplace").replace(os.sep, "/")


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "FIFO"), (stat.S_ISSOCK, "socket"), (stat.S_ISCHR, "character device"),
                       (stat.S_ISBLK, "block device"), (stat.S_ISDIR, "directory")):
        if test(mode):
            return name
    return "special file"


def _problem(rel: str, reason: str, detail: str, raw: bytes = b"") -> LandingEntry:
    return LandingEntry(rel, Path(), 0, Quarantined(rel, None, reason, detail, raw))


def _link_entry(rel: str, full: str, root: str, excluded: list[str]) -> LandingEntry:
    """Classify a symlink without opening anything it points to."""
    target_text = os.readlink(full)
    raw = os.fsencode(target_text)
    resolved = os.path.realpath(full)
    if not _inside(resolved, root) or any(_inside(resolved, ex) for ex in excluded):
        return _problem(rel, "link_outside_landing", f"symlink to {_rel_text(target_text)} (not followed)", raw)
    try:
        st = os.stat(resolved)
    except OSError as exc:
        return _problem(rel, "unreadable", f"dangling symlink to {_rel_text(target_text)}: {exc.strerror}", raw)
    if not stat.S_ISREG(st.st_mode):
        return _problem(rel, "not_regular_file", f"symlink to a {_kind(st.st_mode)} (not followed)", raw)
    if not os.access(resolved, os.R_OK):
        return _problem(rel, "unreadable", "permission denied", raw)
    return LandingEntry(rel, Path(resolved), st.st_size, link_target=_rel_text(os.path.relpath(resolved, root)))


def discover(landing: Path, exclude: Iterable[Path] = (), include_hidden: bool = False) -> list[LandingEntry]:
    """Every input under ``landing`` (recursive), each with its problem if it cannot be read safely."""
    root = os.path.realpath(landing)
    # only folders strictly inside the landing folder are excluded: a landing folder that itself lies inside
    # the warehouse (warehouse/inbox) is still read in full
    excluded = [ex for ex in map(os.path.realpath, exclude) if ex != root and _inside(ex, root)]
    files: list[LandingEntry] = []
    links: list[LandingEntry] = []
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as it:
                children = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            rel = _rel_text(os.path.relpath(folder, root))
            files.append(_problem(rel, "unreadable", f"cannot list folder: {exc.strerror}"))
            continue
        for child in children:
            if child.name.startswith(".") and not include_hidden:
                continue
            full = child.path
            rel = _rel_text(os.path.relpath(full, root))
            try:
                st = os.lstat(full)
            except OSError as exc:
                files.append(_problem(rel, "unreadable", f"cannot stat: {exc.strerror}"))
                continue
            if stat.S_ISDIR(st.st_mode):
                if not any(_inside(os.path.realpath(full), ex) for ex in excluded):
                    stack.append(full)
            elif stat.S_ISLNK(st.st_mode):
                entry = _link_entry(rel, full, root, excluded)
                (links if entry.problem is None else files).append(entry)
            elif stat.S_ISREG(st.st_mode):
                if os.access(full, os.R_OK):
                    files.append(LandingEntry(rel, Path(full), st.st_size))
                else:
                    files.append(_problem(rel, "unreadable", "permission denied"))
            else:  # FIFO, socket, device: never opened
                files.append(_problem(rel, "not_regular_file", f"a {_kind(st.st_mode)}, not a file"))
    files.sort(key=lambda e: e.rel)
    links.sort(key=lambda e: e.rel)
    return files + links


def read_bytes(path: Path, limits: Limits | None = None) -> bytes:
    """A regular file's bytes; refuses links, special files and oversized files before reading them.

    Raises :class:`ReadProblem` (``unreadable``, ``not_regular_file``, ``oversized``).
    """
    limits = limits or Limits()
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ReadProblem("unreadable", "became a symlink after discovery (not followed)") from None
        raise ReadProblem("unreadable", exc.strerror or str(exc)) from None
    with os.fdopen(fd, "rb", buffering=0) as fh:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):  # replaced by a FIFO/device since discovery
            raise ReadProblem("not_regular_file", f"a {_kind(st.st_mode)}, not a file")
        if st.st_size > limits.max_file_bytes:
            raise ReadProblem("oversized", f"{st.st_size} bytes > {limits.max_file_bytes}")
        try:
            data = _read_upto(fh, limits.max_file_bytes + 1, st.st_size)
        except OSError as exc:
            raise ReadProblem("unreadable", exc.strerror or str(exc)) from None
    if len(data) > limits.max_file_bytes:  # it grew while we read it
        raise ReadProblem("oversized", f"more than {limits.max_file_bytes} bytes")
    return data


def _read_upto(fh: io.RawIOBase, cap: int, expected: int) -> bytes:
    """At most ``cap`` bytes; one allocation when the file is the size ``stat`` said (the usual case)."""
    parts = [fh.read(min(cap, expected + 1)) or b""]
    got = len(parts[0])
    while got < cap:  # a short read: end of file, or a file that grew since stat
        more = fh.read(min(cap - got, 1 << 20))
        if not more:
            break
        parts.append(more)
        got += len(more)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def read_entry(entry: LandingEntry, limits: Limits | None = None) -> bytes:
    """The bytes of a discovered entry; an entry with a problem raises that problem as :class:`ReadProblem`."""
    if entry.problem is not None:
        raise ReadProblem(entry.problem.reason_code, entry.problem.detail)
    return read_bytes(entry.path, limits)
