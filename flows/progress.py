"""What a run tells the user while it works: stage lines, and the batches' progress with counts and ETA.

The flow calls the module functions (``stage``, ``batches``, ``batch_done``, ``done``); the command line picks
who hears them with :func:`use`:

- :class:`Live` on a terminal: each stage as a line, the batches as a progress bar (rich) with files,
  articles, rejected records, elapsed time and ETA;
- :class:`Lines` when the output is not a terminal (a log file, a pipe, cron): plain lines, the batches'
  progress at most every few seconds;
- :class:`Silent` (``-q``, and any caller that is not the command line: tests, ``khabar serve``'s runs).

Everything goes to stdout, where the command's summary goes: stderr is kept for the one-line failures.
"""
from __future__ import annotations

import sys
import time
from typing import TextIO


class Silent:
    """Says nothing."""

    def stage(self, text: str) -> None:
        """A step of the run starts (``text`` says which, in a few words)."""

    def batches(self, batches: int, files: int) -> None:
        """The batches start: ``batches`` of them, over ``files`` files."""

    def batch_done(self, files: int, articles: int, rejected: int) -> None:
        """One batch finished, with its counts."""

    def done(self) -> None:
        """The run is over (its summary follows): end any live display."""


class Lines(Silent):
    """Plain lines, for output that is not a terminal; the batches' progress at most every ``every`` seconds
    (and at the last batch), so a long run's log stays readable.

    >>> import io
    >>> out = io.StringIO()
    >>> p = Lines(out, every=0)
    >>> p.stage("planning")
    >>> p.batches(2, 7)
    >>> p.batch_done(4, 4, 0)
    >>> p.batch_done(3, 2, 1)
    >>> print(out.getvalue().replace(p.eta(), "ETA"), end="")
    khabar: planning
    khabar: 2 batches over 7 files
    khabar: batches 1/2, files 4/7, articles 4, rejected 0, ETA
    khabar: batches 2/2, files 7/7, articles 6, rejected 1, ETA
    """

    def __init__(self, out: TextIO | None = None, every: float = 5.0) -> None:
        self.out = out or sys.stdout
        self.every = every
        self.total = self.files_total = self.done_batches = self.files = self.articles = self.rejected = 0
        self.started = self.last = 0.0

    def _line(self, text: str) -> None:
        print(f"khabar: {text}", file=self.out, flush=True)

    def stage(self, text: str) -> None:
        self._line(text)

    def batches(self, batches: int, files: int) -> None:
        self.total, self.files_total = batches, files
        self.started = self.last = time.monotonic()
        self._line(f"{batches} batch{'es' if batches != 1 else ''} over {files} file{'s' if files != 1 else ''}")

    def batch_done(self, files: int, articles: int, rejected: int) -> None:
        self.done_batches += 1
        self.files += files
        self.articles += articles
        self.rejected += rejected
        now = time.monotonic()
        if now - self.last >= self.every or self.done_batches == self.total:
            self.last = now
            self._line(f"batches {self.done_batches}/{self.total}, files {self.files}/{self.files_total}, "
                       f"articles {self.articles}, rejected {self.rejected}, {self.eta()}")

    def eta(self) -> str:
        """Time left, from the files done so far (files, not batches: batches differ in size)."""
        if self.files >= self.files_total or not self.files:
            return "ETA 0 s" if self.files >= self.files_total else "ETA unknown"
        spent = time.monotonic() - self.started
        return f"ETA {spent * (self.files_total - self.files) / self.files:.0f} s"


class Live(Silent):
    """On a terminal: stage lines and a rich progress bar over the batches."""

    def __init__(self, out: TextIO | None = None) -> None:
        from rich.console import Console

        self.console = Console(file=out or sys.stdout, highlight=False)
        self.progress = None
        self.task = None

    def stage(self, text: str) -> None:
        from rich.markup import escape

        self.console.print(f"[bold]khabar[/bold]: {escape(text)}", markup=True)

    def batches(self, batches: int, files: int) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.done()
        self.progress = Progress(
            TextColumn("  files"), BarColumn(), MofNCompleteColumn(),
            TextColumn("batches {task.fields[batches]}  articles {task.fields[articles]}  "
                       "rejected {task.fields[rejected]}"),
            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
            console=self.console, transient=False)
        self.task = self.progress.add_task("files", total=files, batches=f"0/{batches}", articles=0, rejected=0)
        self._batches = [0, batches]
        self._articles = self._rejected = 0
        self.progress.start()

    def batch_done(self, files: int, articles: int, rejected: int) -> None:
        if self.progress is None:
            return
        self._batches[0] += 1
        self._articles += articles
        self._rejected += rejected
        self.progress.update(self.task, advance=files, batches=f"{self._batches[0]}/{self._batches[1]}",
                             articles=self._articles, rejected=self._rejected)
        if self._batches[0] >= self._batches[1]:
            self.done()

    def done(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None


_reporter: Silent = Silent()


def use(reporter: Silent) -> None:
    """Who hears the run from now on (the command line calls this once)."""
    global _reporter
    _reporter = reporter


def for_terminal(quiet: bool, out: TextIO | None = None) -> Silent:
    """The reporter for the command line: silent with ``-q``, live on a terminal, plain lines otherwise."""
    out = out or sys.stdout
    if quiet:
        return Silent()
    return Live(out) if out.isatty() else Lines(out)


def stage(text: str) -> None:
    _reporter.stage(text)


def batches(count: int, files: int) -> None:
    _reporter.batches(count, files)


def batch_done(files: int, articles: int, rejected: int) -> None:
    _reporter.batch_done(files, articles, rejected)


def done() -> None:
    _reporter.done()
