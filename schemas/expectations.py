"""The data-quality suites, declared once as data.

``SUITES`` maps each curated table to its checks. ``flows.quality.validate_batch`` turns every ``Check`` into a
Great Expectations expectation (``expectation`` is the GX class name, ``kwargs`` its arguments) with the
check's ``severity``; ``name`` is what ``dq_results.expectation`` stores, so keep names stable.

A ``critical`` failure keeps the batch out of the curated tables; a ``warning`` is reported and published.

Columns that are not in the table schema are *derived* by the runner before validation, so GX never sees
whole bodies: ``DERIVED`` lists them with what they mean. Values relative to the run time are written as
the tokens ``NOW`` / ``TODAY`` and resolved by the runner (with ``CLOCK_SLACK``: a page's local time may run
ahead of UTC, and a batch must not be rejected for that).

>>> sorted(SUITES)
['articles', 'entities', 'mentions', 'quotes']
>>> {c.severity for checks in SUITES.values() for c in checks} == set(SEVERITIES)
True
>>> [c.name for c in SUITES["articles"]][:2]
['article_id_not_null', 'article_id_unique']
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

SEVERITIES = ("critical", "warning")
NOW = "$now"      # resolved to the run's clock + CLOCK_SLACK (a tz-aware timestamp)
TODAY = "$today"  # resolved to the run's UTC date + CLOCK_SLACK (midnight, naive)
CLOCK_SLACK = timedelta(days=1)
EARLIEST_DATE = date(1990, 1, 1)
DATE_SOURCES = ("explicit", "feed", "relative", "none")
LANGUAGES = ("ar",)
ENTITY_TYPES = ("PERSON", "ORG", "PLACE")

# Helper columns computed by the runner (flows/quality.py) from the table's own columns.
DERIVED: dict[str, dict[str, str]] = {
    "articles": {
        "body_length": "characters in body (NULL when body is NULL)",
        "arabic_share": "Arabic letters (U+0600-U+06FF) / non-space characters of body",
    },
    "quotes": {"article_in_batch": "the quote's article_id is an article of the same batch"},
    "mentions": {
        "article_in_batch": "the mention's article_id is an article of the same batch",
        "inside_body": "char_end <= length of the article's body (NULL when the article is not in the batch)",
    },
}


@dataclass(frozen=True)
class Check:
    """One expectation: stable ``name``, GX class, its arguments, severity and a human description."""

    name: str
    expectation: str
    kwargs: Mapping[str, Any]
    severity: str
    description: str

    def columns(self) -> tuple[str, ...]:
        """Columns this check reads.

        >>> Check("x", "ExpectColumnPairValuesAToBeGreaterThanB", {"column_A": "b", "column_B": "a"},
        ...       "critical", "").columns()
        ('b', 'a')
        """
        cols = [self.kwargs[k] for k in ("column", "column_A", "column_B") if k in self.kwargs]
        cols.extend(self.kwargs.get("column_list", ()))
        return tuple(cols)


def _c(name: str, expectation: str, severity: str, description: str, **kwargs: Any) -> Check:
    return Check(name, expectation, kwargs, severity, description)


NOT_NULL = "ExpectColumnValuesToNotBeNull"
UNIQUE = "ExpectColumnValuesToBeUnique"
IN_SET = "ExpectColumnValuesToBeInSet"
BETWEEN = "ExpectColumnValuesToBeBetween"
REGEX = "ExpectColumnValuesToMatchRegex"
A_GT_B = "ExpectColumnPairValuesAToBeGreaterThanB"
NON_BLANK = r"\S"  # at least one non-space character (NULLs are left to the not-null check)

SUITES: dict[str, tuple[Check, ...]] = {
    "articles": (
        _c("article_id_not_null", NOT_NULL, "critical", "every article has an id", column="article_id"),
        _c("article_id_unique", UNIQUE, "critical", "article ids are unique in the batch", column="article_id"),
        _c("headline_not_null", NOT_NULL, "critical", "every article has a headline", column="headline"),
        _c("headline_not_empty", REGEX, "critical", "headlines are not blank", column="headline",
           regex=NON_BLANK),
        _c("body_not_null", NOT_NULL, "critical", "every article has a body", column="body_length"),
        _c("body_not_empty", BETWEEN, "critical", "bodies have at least one character", column="body_length",
           min_value=1),
        _c("published_at_not_future", BETWEEN, "critical", "published_at is not in the future (NULL allowed)",
           column="published_at", max_value=NOW),
        _c("date_source_in_set", IN_SET, "critical", "date_source is explicit, feed, relative or none",
           column="date_source", value_set=list(DATE_SOURCES)),
        _c("date_source_not_null", NOT_NULL, "critical", "every article says where its date came from",
           column="date_source"),
        _c("language_in_set", IN_SET, "warning", "articles are Arabic", column="language",
           value_set=list(LANGUAGES), mostly=0.95),
        _c("arabic_share_of_body", BETWEEN, "warning", "at least half of a body's letters are Arabic, for 95% "
           "of articles", column="arabic_share", min_value=0.5, mostly=0.95),
        _c("word_count_positive", BETWEEN, "warning", "word_count > 0", column="word_count", min_value=1),
        _c("published_date_plausible", BETWEEN, "warning", "published_date between 1990-01-01 and today",
           column="published_date", min_value=EARLIEST_DATE, max_value=TODAY),
    ),
    "quotes": (
        _c("quote_id_not_null", NOT_NULL, "critical", "every quote has an id", column="quote_id"),
        _c("quote_id_unique", UNIQUE, "critical", "quote ids are unique in the batch", column="quote_id"),
        _c("quote_article_id_not_null", NOT_NULL, "critical", "every quote belongs to an article",
           column="article_id"),
        _c("quote_text_not_null", NOT_NULL, "critical", "every quote has text", column="text"),
        _c("quote_text_not_empty", REGEX, "critical", "quote text is not blank", column="text",
           regex=NON_BLANK),
        _c("quote_article_in_batch", IN_SET, "warning", "a quote's article is in the same batch",
           column="article_in_batch", value_set=[True]),
        _c("speakers_resolved_share", NOT_NULL, "warning", "quotes' speakers resolved share >= 60%",
           column="speaker", mostly=0.6),
    ),
    "mentions": (
        _c("mention_article_id_not_null", NOT_NULL, "critical", "every mention belongs to an article",
           column="article_id"),
        _c("mention_entity_id_not_null", NOT_NULL, "critical", "every mention names an entity",
           column="entity_id"),
        _c("mention_char_start_not_negative", BETWEEN, "critical", "char_start >= 0", column="char_start",
           min_value=0),
        _c("mention_span_ordered", A_GT_B, "critical", "char_start < char_end", column_A="char_end",
           column_B="char_start", or_equal=False),
        _c("mention_article_in_batch", IN_SET, "warning", "a mention's article is in the same batch",
           column="article_in_batch", value_set=[True]),
        _c("mention_inside_body", IN_SET, "warning", "mention offsets lie inside the article body",
           column="inside_body", value_set=[True]),
    ),
    "entities": (
        _c("entity_id_not_null", NOT_NULL, "critical", "every entity has an id", column="entity_id"),
        _c("entity_id_unique", UNIQUE, "critical", "entity ids are unique", column="entity_id"),
        _c("entity_type_in_set", IN_SET, "critical", "entity_type is PERSON, ORG or PLACE",
           column="entity_type", value_set=list(ENTITY_TYPES)),
        _c("entity_type_not_null", NOT_NULL, "critical", "every entity has a type", column="entity_type"),
        _c("canonical_name_not_null", NOT_NULL, "critical", "every entity has a canonical name",
           column="canonical_name"),
    ),
}


def needed_columns(table: str) -> tuple[str, ...]:
    """The columns of ``table`` the suite reads, in first-use order (derived columns included).

    >>> needed_columns("entities")
    ('entity_id', 'entity_type', 'canonical_name')
    """
    return tuple(dict.fromkeys(c for check in SUITES[table] for c in check.columns()))
