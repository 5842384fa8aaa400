"""Refresh the vendored web assets of the data-quality report (flows/report_static/vendor/).

Great Expectations 1.24.1 writes Data Docs pages that load Bootstrap, jQuery, Popper, Font Awesome,
bootstrap-table, bootstrap-datepicker, bootstrap-dark and Vega from CDNs. khabar's report must work with no
network, so the same packages, at the versions those URLs name (``vega@5`` and the like resolved to one
exact release), are committed under ``flows/report_static/vendor/`` with their licences, and
``flows/data_docs.py`` points each page at them. ``MANIFEST.json`` there records, for every file, the npm
package it came from, its sha256, and the CDN URLs it replaces.

Run this only to change a version (it needs the npm client and the registry); runs of khabar never fetch
anything. ``python scripts/vendor_report_assets.py``, then review ``git diff --stat`` and commit.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "flows" / "report_static" / "vendor"

# (npm package@version, licence file in the package (None: the package has none; its package.json licence
# field and copyright header are recorded), [(file in the package, vendored path, [CDN URLs])])
SOURCES: list[tuple[str, str | None, list[tuple[str, str, list[str]]]]] = [
    ("bootstrap@4.3.1", "LICENSE", [
        ("dist/css/bootstrap.min.css", "bootstrap/bootstrap.min.css",
         ["https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css"]),
        ("dist/js/bootstrap.min.js", "bootstrap/bootstrap.min.js",
         ["https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js"]),
    ]),
    ("jquery@3.7.1", "LICENSE.txt", [
        ("dist/jquery.min.js", "jquery/jquery.min.js", ["https://code.jquery.com/jquery-3.7.1.min.js"]),
    ]),
    ("popper.js@1.12.9", None, [
        ("dist/umd/popper.min.js", "popper/popper.min.js",
         ["https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js"]),
    ]),
    ("@fortawesome/fontawesome-free@6.6.0", "LICENSE.txt", [
        ("css/all.min.css", "fontawesome-free/css/all.min.css",
         ["https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css"]),
        # The stylesheet lists woff2 first: every browser that runs the pages' scripts loads woff2 only.
        ("webfonts/fa-brands-400.woff2", "fontawesome-free/webfonts/fa-brands-400.woff2", []),
        ("webfonts/fa-regular-400.woff2", "fontawesome-free/webfonts/fa-regular-400.woff2", []),
        ("webfonts/fa-solid-900.woff2", "fontawesome-free/webfonts/fa-solid-900.woff2", []),
        ("webfonts/fa-v4compatibility.woff2", "fontawesome-free/webfonts/fa-v4compatibility.woff2", []),
    ]),
    ("bootstrap-table@1.19.1", "LICENSE", [
        ("dist/bootstrap-table.min.css", "bootstrap-table/bootstrap-table.min.css",
         ["https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css"]),
        ("dist/bootstrap-table.min.js", "bootstrap-table/bootstrap-table.min.js",
         ["https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js"]),
        ("dist/extensions/filter-control/bootstrap-table-filter-control.min.js",
         "bootstrap-table/bootstrap-table-filter-control.min.js",
         ["https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/"
          "bootstrap-table-filter-control.min.js"]),
        # GX links the stylesheet of the extension from 1.19.0 (minified on one page, not on the other).
        ("dist/extensions/filter-control/bootstrap-table-filter-control.min.css",
         "bootstrap-table/bootstrap-table-filter-control.min.css",
         ["https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/"
          "bootstrap-table-filter-control.min.css",
          "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/"
          "bootstrap-table-filter-control.css"]),
    ]),
    ("bootstrap-datepicker@1.9.0", "LICENSE", [
        ("dist/css/bootstrap-datepicker.min.css", "bootstrap-datepicker/bootstrap-datepicker.min.css",
         ["https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css"]),
        ("dist/js/bootstrap-datepicker.min.js", "bootstrap-datepicker/bootstrap-datepicker.min.js",
         ["https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js"]),
    ]),
    ("@forevolve/bootstrap-dark@1.1.0", "LICENSE", [
        ("dist/css/bootstrap-prefers-dark.min.css", "bootstrap-dark/bootstrap-prefers-dark.min.css",
         ["https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css"]),
    ]),
    ("vega@5.33.1", None, [
        ("build/vega.min.js", "vega/vega.min.js", ["https://cdn.jsdelivr.net/npm/vega@5"]),
    ]),
    ("vega-lite@5.23.0", "LICENSE", [
        ("build/vega-lite.min.js", "vega-lite/vega-lite.min.js", ["https://cdn.jsdelivr.net/npm/vega-lite@5"]),
    ]),
    ("vega-embed@6.29.0", "LICENSE", [
        ("build/vega-embed.min.js", "vega-embed/vega-embed.min.js", ["https://cdn.jsdelivr.net/npm/vega-embed@6"]),
    ]),
]
# Images GX links from its own web bucket: the package ships the same logo in the site's static/images/.
SITE_IMAGES = {
    "https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/logo-long.png": "static/images/logo-long.png",
    "https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/full_logo_dark.png":
        "static/images/logo-long.png",
}


def main() -> int:
    if shutil.which("npm") is None:
        print("npm not found: this script needs the npm client", file=sys.stderr)
        return 2
    shutil.rmtree(VENDOR, ignore_errors=True)
    VENDOR.mkdir(parents=True)
    manifest: dict = {"packages": [], "files": [], "urls": {}, "site_urls": SITE_IMAGES}
    with tempfile.TemporaryDirectory() as tmp:
        for spec, licence, files in SOURCES:
            out = subprocess.run(["npm", "pack", "--json", spec], cwd=tmp, capture_output=True, text=True,
                                 check=True)
            info = json.loads(out.stdout)[0]
            with tarfile.open(Path(tmp) / info["filename"]) as tar:
                members = {m.name.removeprefix("package/"): m for m in tar.getmembers()}

                def read(name: str, tar=tar, members=members) -> bytes:
                    return tar.extractfile(members[name]).read()

                name = spec.rsplit("@", 1)[0]
                folder = files[0][1].split("/")[0]
                (VENDOR / folder).mkdir(parents=True, exist_ok=True)
                if licence is not None:
                    (VENDOR / folder / "LICENSE").write_bytes(read(licence))
                else:
                    meta = json.loads(read("package.json"))
                    code = read(files[0][0]).decode("utf-8")
                    header = code.split("*/", 1)[0] + "*/" if code.startswith("/*") else "(none)"
                    author = meta.get("author")
                    author = author.get("name") if isinstance(author, dict) else author
                    (VENDOR / folder / "LICENSE").write_text(
                        f"{name} {info['version']}: licence {meta.get('license')}, author {author} (package.json; "
                        f"the package ships no licence file).\nHeader of {files[0][0]}: {header}\n",
                        encoding="utf-8")
                manifest["packages"].append({"name": name, "version": info["version"],
                                             "integrity": info["integrity"], "folder": folder})
                for source, dest, urls in files:
                    data = read(source)
                    (VENDOR / dest).parent.mkdir(parents=True, exist_ok=True)
                    (VENDOR / dest).write_bytes(data)
                    manifest["files"].append({"path": dest, "package": f"{name}@{info['version']}",
                                              "source": source, "sha256": hashlib.sha256(data).hexdigest()})
                    for url in urls:
                        manifest["urls"][url] = dest
    (VENDOR / "MANIFEST.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    total = sum((VENDOR / f["path"]).stat().st_size for f in manifest["files"])
    print(f"{len(manifest['files'])} files, {total / 1024:.0f} KiB, in {VENDOR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
