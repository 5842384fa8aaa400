"""Plain data records passed between khabar's stages.

Every transform takes and returns these (or plain str/dict); none of them does I/O.
The small records made per article many times over (dates, datelines, mentions, entities, quotes) use
``slots=True``: smaller and quicker to build, and otherwise the same dataclasses.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass
class RawRecord:
    """One article-shaped record as found in the landing folder, before cleaning.

    ``text`` is the page text of a ``.txt`` file or the main text pulled from HTML;
    for scraper JSON it is the ``content``/``text``/``body`` field. The other fields are
    what the input itself declared (feed fields, HTML metadata), ``None`` when absent.
    """

    source_file: str  # relative to the landing folder; "archive.zip!member" inside containers
    source_record: int  # index inside a multi-record file, else 0
    format: str  # txt | html | json | jsonl
    text: str
    title: str | None = None
    author: str | None = None
    url: str | None = None
    date: str | None = None  # feed date field as written
    source: str | None = None  # feed source / source_domain as written
    is_page: bool = True  # True: ``text`` is a whole page (title, dateline, chrome inline)


@dataclass
class Quarantined:
    """An input (file or record) that could not become an article, with its bytes."""

    source_file: str
    source_record: int | None
    reason_code: str  # e.g. unsupported_format, undecodable, empty, oversized, unsafe_path, bomb
    detail: str
    raw: bytes = b""


@dataclass
class IngestedFile:
    """What ingest learned about one file of the landing folder."""

    source_file: str
    sha256: str
    bytes: int
    format: str
    encoding: str | None
    records: list[RawRecord] = field(default_factory=list)
    quarantined: list[Quarantined] = field(default_factory=list)
    # set when the whole file is quarantined (then ``records`` is empty)
    reason: str | None = None


@dataclass(slots=True)
class DateResult:
    published_at: datetime | None  # timezone-aware when known
    published_date: date | None
    source: str  # explicit | feed | relative | none
    span: tuple[int, int] | None = None  # where in the searched text it was found


@dataclass(slots=True)
class Dateline:
    place: str | None = None
    agency: str | None = None
    author: str | None = None
    outlet_domain: str | None = None


@dataclass(slots=True)
class Mention:
    entity_id: str
    canonical_name: str
    entity_type: str  # PERSON | ORG | PLACE
    surface: str
    char_start: int
    char_end: int


@dataclass(slots=True)
class Entity:
    entity_id: str
    canonical_name: str
    entity_type: str
    aliases: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Quote:
    ordinal: int
    text: str
    speaker: str | None
    speaker_entity_id: str | None
    char_start: int = 0
    char_end: int = 0
    speaker_kind: str | None = None  # person, name (a name no mention covers), org, place, source, role


@dataclass
class Extracted:
    """Everything khabar derives from one record; becomes one ``articles`` row plus children."""

    headline: str | None
    subheadline: str | None
    byline: str | None
    author: str | None
    dateline_place: str | None
    agency: str | None
    outlet_domain: str | None
    date: DateResult
    body: str
    quotes: list[Quote] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
