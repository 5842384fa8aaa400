"""Failures a user can meet and fix, told as one line (contract §1: exit status 2, no traceback).

Code anywhere in ``flows/`` raises :class:`UserFacingError` (or a subclass) with the line to print; the
command line (``flows/cli.py``, ``run_command``) prints it and exits 2. Faults of the environment raised by
libraries (a full disk, a damaged database file, missing cloud credentials) are recognised by
:func:`user_facing` and told the same way. Anything else is a bug and keeps its traceback.

Input files never get here: a bad input is quarantined and the run goes on.
"""
from __future__ import annotations

import errno
import re
from pathlib import Path


class UserFacingError(Exception):
    """A failure the user can fix; ``str(exc)`` is the one line to print."""

    exit_status = 2


class DiskFull(UserFacingError):
    """No space left on the device the warehouse (or its temporary files) is on."""


class DamagedDatabase(UserFacingError):
    """``news.duckdb`` cannot be opened or read."""


_QUOTED_PATH = re.compile(r""""((?:/|[A-Za-z]:\\)[^"]+)"|'((?:/|[A-Za-z]:\\)[^']+)'""")
_NO_SPACE = ("No space left on device", "Disk quota exceeded")
# DuckDB's words for a database file it cannot open or read back
_DAMAGED = re.compile(r"""(?:not a valid DuckDB database file|Could not read enough bytes from file|Corrupt database file|"""
                      r"""does not match stored checksum|Failed to read database header|Could not read from file)""")
_DUCKDB_FILE = re.compile(r""""([^"]+\.duckdb(?:\.wal)?)"|'([^']+\.duckdb(?:\.wal)?)'""")
_CREDENTIALS = ("NoCredentialsError", "PartialCredentialsError", "CredentialRetrievalError",
                "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidClientTokenId")


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and its causes and contexts (a library often wraps the OSError that says it all)."""
    seen: list[BaseException] = []
    while exc is not None and exc not in seen and len(seen) < 20:
        seen.append(exc)
        exc = exc.__cause__ or exc.__context__
    return seen


def no_space_path(exc: BaseException) -> str | None:
    """The path a full disk refused to write, '' when the error does not name it, None if not a full disk.

    >>> no_space_path(OSError(errno.ENOSPC, "No space left on device", "/wh/news.duckdb.wal"))
    '/wh/news.duckdb.wal'
    >>> no_space_path(RuntimeError('IO Error: Could not write file "/wh/x.parquet": No space left on device'))
    '/wh/x.parquet'
    >>> no_space_path(ValueError("bad")) is None
    True
    """
    for e in _chain(exc):
        if isinstance(e, OSError) and e.errno in (errno.ENOSPC, errno.EDQUOT):
            return str(e.filename or "")
        text = str(e)
        if any(words in text for words in _NO_SPACE):
            m = _QUOTED_PATH.search(text)
            return (m.group(1) or m.group(2)) if m else ""
    return None


def damaged_database(path: str) -> DamagedDatabase:
    """The one line for a database file DuckDB cannot read, with the way back."""
    db = Path(path)
    return DamagedDatabase(f"the database {db} is damaged or not a DuckDB file: rebuild it from the Parquet "
                           f"mirror with `khabar restore --warehouse {db.parent}` (the damaged file is kept beside it)")


def describe(exc: BaseException) -> str:
    """One line naming an exception: its type and the first line of its message."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"[:300]


def user_facing(exc: BaseException, warehouse: str | None = None) -> UserFacingError | None:
    """The user-facing form of an environment fault raised by a library, or None (a bug: keep the traceback)."""
    if isinstance(exc, UserFacingError):
        return exc
    path = no_space_path(exc)
    if path is not None:
        where = path or warehouse or "the warehouse"
        return DiskFull(f"cannot write {where}: No space left on device; free some space and run again "
                        "(the next run completes the work)")
    for e in _chain(exc):
        name = type(e).__name__
        text = str(e)
        if _DAMAGED.search(text):
            m = _DUCKDB_FILE.search(text)
            if m:
                return damaged_database(m.group(1) or m.group(2))
        if name in _CREDENTIALS or any(c in text for c in _CREDENTIALS) or "Unable to locate credentials" in text:
            return UserFacingError("no usable cloud credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
                                   f"(or an AWS profile) and run again ({name})")
        if "Timed out trying to connect to" in text or name == "CommClosedError":  # Dask's scheduler went away
            return UserFacingError(f"lost the Dask scheduler: {text.splitlines()[0][:200]}; check that it runs and "
                                   "that --dask-address names it")
        if isinstance(e, PermissionError):
            target = f" {e.filename}" if e.filename else ""
            return UserFacingError(f"permission denied{target}: {e.strerror or text}")
        if isinstance(e, OSError) and e.errno in (errno.EROFS, errno.EACCES):
            return UserFacingError(f"cannot write {e.filename or warehouse or 'the warehouse'}: {e.strerror}")
    return None
