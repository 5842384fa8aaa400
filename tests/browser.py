"""Headless Chromium driven over the DevTools protocol on a pipe: open report pages with the network shut,
record every request each page makes, and take screenshots.

``--remote-debugging-pipe`` speaks CDP over file descriptors 3 (commands in) and 4 (events and results
out), NUL-separated JSON: no port is opened and no library is needed. Every page is opened with request
interception on (``Fetch.enable`` for all URLs): a request for anything but a local file or inline data is
recorded and failed there, so it cannot leave the machine whatever the page does; ``Network`` events record
every request (local ones included) and every failed load. Chromium itself also runs with its background
networking off, a resolver that resolves nothing and a proxy on a closed local port.
"""
from __future__ import annotations

import base64
import fcntl
import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser"),
                             shutil.which("google-chrome")) if p), None)
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
ARTEFACTS = Path(os.environ.get("KHABAR_TEST_ARTEFACTS") or Path(__file__).resolve().parent / "artefacts")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions", "--mute-audio", "--hide-scrollbars",
         "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
         "--remote-debugging-pipe"]

# What the checks read in the page once it has loaded.
PAGE_FACTS = """(() => {
  const arabic = /[\\u0600-\\u06FF]/;
  const rtlWrong = [...document.querySelectorAll('[lang=ar]')]
      .filter(e => getComputedStyle(e).direction !== 'rtl').map(e => e.outerHTML.slice(0, 120));
  const arabicNotMarked = [...document.querySelectorAll('body *')]
      .filter(e => [...e.childNodes].some(n => n.nodeType === 3 && arabic.test(n.textContent)))
      .filter(e => getComputedStyle(e).direction !== 'rtl' && getComputedStyle(e).unicodeBidi !== 'plaintext'
                   && e.getAttribute('dir') !== 'auto')
      .map(e => e.tagName + ': ' + e.textContent.slice(0, 60));
  return {
    title: document.title,
    brokenImages: [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src),
    unloadedStyles: [...document.querySelectorAll('link[rel=stylesheet]')].filter(l => !l.sheet).map(l => l.href),
    scripts: document.scripts.length,
    jquery: typeof window.jQuery === 'function',
    bootstrapTable: typeof window.jQuery === 'function' && typeof window.jQuery.fn.bootstrapTable === 'function',
    validationLinks: document.querySelectorAll('a[href*="validations/"]').length,
    svgCharts: document.querySelectorAll('svg.chart').length,
    arabicElements: document.querySelectorAll('[lang=ar]').length,
    rtlWrong, arabicNotMarked,
    bodyFont: getComputedStyle(document.body).fontFamily,
    text: document.body ? document.body.innerText : '',
  };
})()"""


@dataclass
class PageVisit:
    url: str
    requests: list[str] = field(default_factory=list)  # every URL the page asked for
    blocked: list[str] = field(default_factory=list)  # non-local requests, stopped by the interception
    failed: list[str] = field(default_factory=list)  # loads that failed ("url: error")
    exceptions: list[str] = field(default_factory=list)  # uncaught JavaScript errors
    console_errors: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    screenshot: Path | None = None
    local: tuple[str, ...] = LOCAL_SCHEMES  # what counts as on this machine (with a local server's origin)

    @property
    def remote(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(self.local)] + self.blocked


class Chromium:
    """One headless browser; ``visit`` opens a page in a fresh tab and returns what happened."""

    def __init__(self, profile: Path, allow: tuple[str, ...] = ()) -> None:
        """``allow``: URL prefixes let through besides local files and inline data (a server on loopback,
        e.g. ``http://127.0.0.1:4200/``)."""
        self.local = LOCAL_SCHEMES + tuple(allow)
        if CHROMIUM is None:
            raise RuntimeError("headless Chromium not found")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def wire_pipes() -> None:  # in the child: the protocol's fds 3 and 4, whatever numbers the pipes got
            high_in = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD, 10)
            high_out = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD, 10)
            os.dup2(high_in, 3)
            os.dup2(high_out, 4)

        profile.mkdir(parents=True, exist_ok=True)
        # A loopback server let through: 127.0.0.1 is resolved and bypasses the closed proxy (FLAGS send
        # loopback there too); every other name still resolves to nothing.
        flags = [f for f in FLAGS if not (allow and f.startswith(("--proxy-bypass-list", "--host-resolver-rules")))]
        if allow:
            flags.append("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1")
        self.proc = subprocess.Popen([CHROMIUM, *flags, f"--user-data-dir={profile}", "about:blank"],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, close_fds=False, preexec_fn=wire_pipes)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict] = []

    # --- protocol ---------------------------------------------------------------------------------------
    def _read_message(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("no answer from Chromium")
            import select

            ready, _, _ = select.select([self._from_browser], [], [], 0.2)
            if ready:
                chunk = os.read(self._from_browser, 1 << 16)
                if not chunk:
                    raise RuntimeError("Chromium closed the DevTools pipe")
                self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float = 30) -> dict:
        self._next_id += 1
        ident = self._next_id
        payload = {"id": ident, "method": method, "params": params or {}}
        if session:
            payload["sessionId"] = session
        os.write(self._to_browser, json.dumps(payload).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            message = self._read_message(deadline)
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self._handle(message)

    def _handle(self, message: dict) -> None:
        self._events.append(message)
        if message.get("method") == "Fetch.requestPaused":
            # Answered at once, here: a paused request must not wait for the test to look at it.
            params = message["params"]
            url = params["request"]["url"]
            if url.startswith(self.local):
                self._reply("Fetch.continueRequest", {"requestId": params["requestId"]}, message.get("sessionId"))
            else:
                self._reply("Fetch.failRequest", {"requestId": params["requestId"], "errorReason": "BlockedByClient"},
                            message.get("sessionId"))

    def _reply(self, method: str, params: dict, session: str | None) -> None:
        self._next_id += 1
        payload = {"id": self._next_id, "method": method, "params": params, "sessionId": session}
        os.write(self._to_browser, json.dumps(payload).encode() + b"\0")

    def _pump(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while True:
            try:
                self._handle(self._read_message(deadline))
            except TimeoutError:
                return

    # --- pages ------------------------------------------------------------------------------------------
    def visit(self, page: Path | str, screenshot: Path | None = None, width: int = 1280,
              max_height: int = 6000) -> PageVisit:
        url = page.as_uri() if isinstance(page, Path) else page
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self._events = []
        for method, params in (("Fetch.enable", {"patterns": [{"urlPattern": "*"}]}), ("Network.enable", {}),
                               ("Page.enable", {}), ("Runtime.enable", {}), ("Log.enable", {}),
                               ("Emulation.setDeviceMetricsOverride",
                                {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False})):
            self.send(method, params, session)
        self.send("Page.navigate", {"url": url}, session)
        self._wait_loaded(session)
        visit = PageVisit(url, local=self.local)
        result = self.send("Runtime.evaluate", {"expression": PAGE_FACTS, "returnByValue": True}, session)
        visit.facts = result.get("result", {}).get("value", {})
        if screenshot is not None:
            metrics = self.send("Page.getLayoutMetrics", {}, session)
            height = min(int(metrics["cssContentSize"]["height"]) + 1, max_height)
            self.send("Emulation.setDeviceMetricsOverride",
                      {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}, session)
            self._pump(0.3)
            shot = self.send("Page.captureScreenshot", {"format": "png"}, session)
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            screenshot.write_bytes(base64.b64decode(shot["data"]))
            visit.screenshot = screenshot
        self._pump(0.2)
        self._collect(visit, session)
        self.send("Target.closeTarget", {"targetId": target})
        return visit

    def _wait_loaded(self, session: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while not any(e.get("method") == "Page.loadEventFired" and e.get("sessionId") == session
                      for e in self._events):
            self._handle(self._read_message(deadline))
        # then until no request is in flight for a moment (scripts may load more after onload)
        quiet_since = time.monotonic()
        seen = len(self._events)
        while time.monotonic() - quiet_since < 0.5 and time.monotonic() < deadline:
            self._pump(0.1)
            pending = self._pending(session)
            if len(self._events) != seen or pending:
                seen = len(self._events)
                quiet_since = time.monotonic()

    def _pending(self, session: str) -> set[str]:
        started, finished = set(), set()
        for e in self._events:
            if e.get("sessionId") != session:
                continue
            if e.get("method") == "Network.requestWillBeSent":
                started.add(e["params"]["requestId"])
            elif e.get("method") in ("Network.loadingFinished", "Network.loadingFailed"):
                finished.add(e["params"]["requestId"])
        return started - finished

    def _collect(self, visit: PageVisit, session: str) -> None:
        urls: dict[str, str] = {}
        for e in self._events:
            if e.get("sessionId") != session:
                continue
            method, params = e.get("method"), e.get("params", {})
            if method == "Network.requestWillBeSent":
                urls[params["requestId"]] = params["request"]["url"]
                visit.requests.append(params["request"]["url"])
            elif method == "Fetch.requestPaused" and not params["request"]["url"].startswith(self.local):
                visit.blocked.append(params["request"]["url"])
            elif method == "Network.loadingFailed":
                visit.failed.append(f"{urls.get(params['requestId'], '?')}: {params.get('errorText')}")
            elif method == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                visit.exceptions.append(str(details.get("exception", {}).get("description") or details.get("text")))
            elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
                visit.console_errors.append(" ".join(str(a.get("value", a.get("description")))
                                                     for a in params.get("args", [])))
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                visit.console_errors.append(f"{params['entry'].get('url', '')}: {params['entry'].get('text')}")

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=5)
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self._to_browser, self._from_browser):
            try:
                os.close(fd)
            except OSError:
                pass

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def artefact_dir(name: str) -> Path:
    """Where a test keeps its screenshots (``tests/artefacts/<name>/``, git-ignored; or $KHABAR_TEST_ARTEFACTS)."""
    path = ARTEFACTS / name
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True, exist_ok=True)
    return path
