"""Great Expectations' Data Docs, kept across runs and readable offline.

GX 1.24.1 writes pages that load Bootstrap, jQuery, Popper, Font Awesome, bootstrap-table, the datepicker,
bootstrap-dark and Vega from CDNs, and its logo from a web bucket; offline they are unstyled, their
validation list (built by that JavaScript) is empty and the logo is broken. ``localize_site`` points every
such URL at a copy inside the site: the vendored files of ``report_static/vendor/`` (exact versions and
hashes in its ``MANIFEST.json``, refreshed by ``scripts/vendor_report_assets.py``, never fetched at run
time) and the logo GX itself ships in ``static/images/``. Links a reader may click (GX's documentation)
stay as they are: they load nothing by themselves.

``merge_site`` adds a run's freshly built site to the kept one: validation pages of earlier runs stay (each
run page of the monitor links its own), the suites' pages, the static files and GX's index (which lists the
latest validated run) are replaced. A run with nothing to validate builds no site and changes nothing.
"""
from __future__ import annotations

import functools
import json
import logging
import os
import re
import shutil
from pathlib import Path
from urllib.parse import quote

# The Data Docs site lives in <reports>/gx/, so that <reports>/index.html stays khabar's own page.
GX_DIR = "gx"

log = logging.getLogger(__name__)

VENDOR_DIR = Path(__file__).resolve().parent / "report_static" / "vendor"
SITE_VENDOR = "static/vendor"  # where the vendored files go inside a GX site
_URL = re.compile(r"https?://[^\s\"'()<>]+")
# Elements and CSS that load what they name as soon as the page opens (an <a href> waits for a click).
_LOADING_TAG = re.compile(r"<(?:script|link|img|iframe|source|embed|object|video|audio)\b[^>]*>", re.I)
_CSS_URL = re.compile(r"url\(\s*['\"]?(https?://[^'\")\s]+)", re.I)
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
# Subresource integrity and CORS mode need an HTTP origin: on a file:// page they block the very file named.
_SRI = re.compile(r"""\s(?:integrity|crossorigin)\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""", re.I)
# GX links the favicon one folder short from validation pages (four folders deep).
_FAVICON = re.compile(r'href="(?:\./|(?:\.\./)+)static/images/favicon\.ico"')


def gx_run_name(run_id: str) -> str:
    """The run name GX files a run's validations under (``validations/<suite>/<run name>/...``).

    >>> gx_run_name("20261202T075030-fa47d64b"), gx_run_name("<x>")
    ('20261202T075030-fa47d64b', '_x_')
    """
    return _UNSAFE_NAME.sub("_", run_id)[:80] or "run"


@functools.cache
def manifest() -> dict:
    return json.loads((VENDOR_DIR / "MANIFEST.json").read_text(encoding="utf-8"))


def local_target(url: str) -> str | None:
    """The path, relative to the site root, that replaces a CDN ``url``; None for an unknown URL.

    >>> local_target("https://code.jquery.com/jquery-3.7.1.min.js")
    'static/vendor/jquery/jquery.min.js'
    >>> local_target("https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/logo-long.png?d=2026")
    'static/images/logo-long.png'
    >>> local_target("https://greatexpectations.io") is None
    True
    """
    base = url.split("?", 1)[0].split("#", 1)[0]
    m = manifest()
    if base in m["urls"]:
        return f"{SITE_VENDOR}/{m['urls'][base]}"
    return m["site_urls"].get(base)


def localize_site(site_dir: Path) -> None:
    """Copy the vendored files into ``site_dir`` and point every page's CDN URLs at them."""
    target = site_dir / SITE_VENDOR
    for entry in manifest()["files"]:
        dest = target / entry["path"]
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(VENDOR_DIR / entry["path"], dest)
    for page in site_dir.rglob("*.html"):
        localize_page(page, site_dir)


def localize_page(page: Path, site_dir: Path) -> None:
    """Rewrite one page: known CDN URLs become relative paths (without the integrity and CORS attributes a
    file:// page cannot satisfy; ``MANIFEST.json`` holds the files' hashes), the favicon link is mended, and
    any other URL the page would load on opening is blanked (logged): opening a page never reaches the
    network."""
    text = page.read_text(encoding="utf-8")
    up = "../" * (len(page.relative_to(site_dir).parts) - 1)

    def local(match: re.Match) -> str:
        found = local_target(match.group(0))
        return up + quote(found) if found else match.group(0)

    clean = _URL.sub(local, text)
    clean = _LOADING_TAG.sub(lambda m: _SRI.sub("", m.group(0)) if SITE_VENDOR in m.group(0) else m.group(0), clean)
    clean = _FAVICON.sub(f'href="{up or "./"}static/images/favicon.ico"', clean)

    def blank(match: re.Match) -> str:
        piece = match.group(0)
        for url in _URL.findall(piece):
            log.warning("Data Docs page %s loads %s: not vendored, removed", page.name, url)
            piece = piece.replace(url, "")
        return piece

    clean = _LOADING_TAG.sub(blank, clean)
    clean = _CSS_URL.sub(lambda m: blank(m), clean)
    if clean != text:
        tmp = page.with_name(page.name + ".tmp")
        tmp.write_text(clean, encoding="utf-8")
        os.replace(tmp, page)


def merge_site(build_dir: Path, site_dir: Path) -> None:
    """Add the run's site in ``build_dir`` to the kept site ``site_dir`` (see the module docstring)."""
    if not (build_dir / "index.html").exists():
        return
    site_dir.mkdir(parents=True, exist_ok=True)
    # Static files first, so that no page is ever without its assets; then the pages; the index last.
    for name in ("static", "expectations"):
        if (build_dir / name).is_dir():
            _replace_dir(build_dir / name, site_dir / name)
    for page in sorted((build_dir / "validations").rglob("*")) if (build_dir / "validations").is_dir() else ():
        if page.is_file():
            dest = site_dir / page.relative_to(build_dir)
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(page, dest)
    os.replace(build_dir / "index.html", site_dir / "index.html")


def _replace_dir(new: Path, target: Path) -> None:
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def run_pages(site_dir: Path, run_id: str) -> dict[str, str]:
    """Suite (table) → the run's validation page, relative to ``site_dir`` (URL-quoted)."""
    pages: dict[str, str] = {}
    validations = site_dir / "validations"
    if not validations.is_dir():
        return pages
    for page in sorted(validations.glob(f"*/{gx_run_name(run_id)}/*/*.html")):
        rel = page.relative_to(site_dir)
        pages.setdefault(rel.parts[1], "/".join(quote(p) for p in rel.parts))
    return pages
