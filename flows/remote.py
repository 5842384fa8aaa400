"""fsspec URLs for the landing folder and the Parquet mirror (``s3://…``, ``file://…``, any fsspec protocol).

A remote landing folder is synchronised into a local cache under the warehouse (only objects whose size or
ETag changed are downloaded), then read like any local folder, so every safety rule of flows/landing.py
applies unchanged. The Parquet mirror is uploaded after each publish, one partition per run.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from urllib.parse import urlparse


def is_url(location: str) -> bool:
    """True for ``scheme://…`` locations.

    >>> is_url("s3://news/landing"), is_url("seeds/raw")
    (True, False)
    """
    return "://" in location


def local_path(location: str) -> Path | None:
    """The local path of a plain path or ``file://`` URL, else None."""
    if not is_url(location):
        return Path(location)
    if location.startswith("file://"):
        return Path(urlparse(location).path)
    return None


def _fs(url: str):
    import fsspec

    return fsspec.core.url_to_fs(url)


def check_readable(url: str) -> None:
    """Raise a one-line :class:`~flows.errors.UserFacingError` when the landing URL cannot be listed (no
    such protocol installed, missing credentials, unreachable endpoint, no such folder); before a run starts
    anything, so that the user hears at once."""
    from flows.errors import UserFacingError, describe, user_facing

    try:
        fs, root = _fs(url)
        fs.ls(root.rstrip("/") or root)
    except ImportError as exc:
        raise UserFacingError(f"cannot read {url}: {describe(exc)} (install the fsspec package for it)") from None
    except FileNotFoundError:
        raise UserFacingError(f"landing folder not found: {url}") from None
    except Exception as exc:  # noqa: BLE001 - whatever the store answered, the user must act on it
        raise (user_facing(exc) or UserFacingError(f"cannot read the landing folder {url}: {describe(exc)}")) from None


def sync_landing(url: str, cache: Path) -> Path:
    """Mirror a remote landing folder into ``cache``; return the local folder to read."""
    fs, root = _fs(url)
    root = root.rstrip("/")
    cache.mkdir(parents=True, exist_ok=True)
    # beside the cache, not in it: every file under a landing folder is an input
    index_path = cache.with_name(cache.name + ".sync.json")
    downloads = cache.with_name(cache.name + ".downloading")  # same file system: renames are atomic
    index = json.loads(index_path.read_text()) if index_path.exists() else {}
    seen = set()
    for key, info in fs.find(root, detail=True).items():
        if info.get("type") != "file":
            continue
        rel = key[len(root):].lstrip("/")
        if not rel or any(part in ("..", "") for part in rel.split("/")):
            continue  # a key that would escape the cache is never written
        seen.add(rel)
        stamp = f"{info.get('size')}|{info.get('ETag') or info.get('etag') or info.get('mtime')}"
        dest = cache / rel
        if index.get(rel) == stamp and dest.exists():
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        downloads.mkdir(parents=True, exist_ok=True)
        tmp = downloads / hashlib.sha256(rel.encode()).hexdigest()
        fs.get_file(key, str(tmp))
        os.replace(tmp, dest)
        index[rel] = stamp
    for rel in set(index) - seen:  # objects deleted upstream leave the landing folder too
        (cache / rel).unlink(missing_ok=True)
        index.pop(rel)
    index_path.write_text(json.dumps(index, ensure_ascii=False, indent=0))
    return cache


def mirror_parquet(local_parquet: Path, url: str, run_id: str) -> int:
    """Upload this run's Parquet partitions and the entities file to ``url``; return files uploaded."""
    fs, root = _fs(url)
    root = root.rstrip("/")
    files = [p for p in local_parquet.rglob("*.parquet")
             if f"run_id={run_id}" in p.parts or p.parent.name == "entities"]
    for p in files:
        rel = p.relative_to(local_parquet).as_posix()
        fs.makedirs(f"{root}/{Path(rel).parent.as_posix()}", exist_ok=True)
        fs.put_file(str(p), f"{root}/{rel}")
    return len(files)


def scheduler_endpoint(address: str) -> tuple[str, int] | None:
    """Host and port of a Dask scheduler address (``tcp://host:port``, ``tls://…``, ``host:port``); None for
    an address this cannot read (an ``inproc://`` or ``ucx://`` one: left for Dask to try).

    >>> scheduler_endpoint("tcp://scheduler:8786"), scheduler_endpoint("10.0.0.5:8786")
    (('scheduler', 8786), ('10.0.0.5', 8786))
    >>> scheduler_endpoint("tcp://[::1]:8786"), scheduler_endpoint("inproc://x")
    (('::1', 8786), None)
    """
    if "://" not in address:
        address = f"tcp://{address}"
    parsed = urlparse(address)
    if parsed.scheme not in ("tcp", "tls") or not parsed.hostname:
        return None
    try:
        return parsed.hostname, parsed.port or 8786
    except ValueError:  # a port that is not a number
        return None


def check_dask_scheduler(address: str, timeout: float = 5.0) -> None:
    """Raise a one-line :class:`~flows.errors.UserFacingError` when nothing answers at the scheduler's
    address: told at once, instead of Dask's traceback after its own connect timeout (30 s)."""
    import socket

    from flows.errors import UserFacingError

    endpoint = scheduler_endpoint(address)
    if endpoint is None:
        return
    try:
        socket.create_connection(endpoint, timeout=timeout).close()
    except OSError as exc:
        why = exc.strerror or type(exc).__name__
        raise UserFacingError(f"cannot reach the Dask scheduler at {address} ({why}): start it (`dask scheduler`) "
                              "or fix --dask-address") from None
