"""The entity extractor interface: what any extractor gives back, and the default one.

An extractor finds :class:`~transforms.types.Mention` s in a body (offsets into it, ``body[char_start:char_end]
== surface``, canonical name and type, ``entity_id`` from :func:`transforms.entities.reference.entity_id`).
:func:`extract_entities` takes any :class:`EntityExtractor` and makes the distinct entity rows from its
mentions. The default, :class:`ModelExtractor`, is the trained sequence model (:mod:`transforms.entities.model`)
combined with reference matching (:mod:`transforms.entities.matching`); :class:`GazetteerExtractor` is
reference matching alone.
"""
from __future__ import annotations

from typing import Protocol

from transforms.entities.matching import analyze
from transforms.types import Entity, Mention


class EntityExtractor(Protocol):
    """Anything that finds entity mentions in a body (a statistical model can be plugged in here)."""

    def extract(self, body: str) -> list[Mention]: ...


class GazetteerExtractor:
    """The default extractor: reference lists plus title, apposition and organisation patterns."""

    def extract(self, body: str) -> list[Mention]:
        """Mentions in text order.

        >>> [m.surface for m in GazetteerExtractor().extract("وقال بوتين في سورية")]
        ['بوتين', 'سورية']
        """
        return list(analyze(body, False).mentions)


class ModelExtractor:
    """The pipeline's extractor: the trained model's spans (:mod:`transforms.entities.model`) combined with
    reference matching, which wins where reference data has an answer."""

    def extract(self, body: str) -> list[Mention]:
        """Mentions in text order.

        >>> [(m.surface, m.entity_type) for m in ModelExtractor().extract("وقال بوتين في سورية")]
        [('بوتين', 'PERSON'), ('سورية', 'PLACE')]
        """
        return list(analyze(body).mentions)


def entities_of(mentions: list[Mention], extra_aliases: dict[str, list[str]] | None = None) -> list[Entity]:
    """Distinct entity rows for a list of mentions (canonical name, type, the surfaces seen as aliases).

    >>> ents = entities_of(GazetteerExtractor().extract("سوريا وسورية"))
    >>> len(ents), ents[0].canonical_name
    (1, 'سوريا')
    """
    by_id: dict[str, Entity] = {}
    for m in mentions:
        ent = by_id.setdefault(m.entity_id, Entity(m.entity_id, m.canonical_name, m.entity_type,
                                                   list((extra_aliases or {}).get(m.entity_id, []))))
        if m.surface != m.canonical_name and m.surface not in ent.aliases:
            ent.aliases.append(m.surface)
    return list(by_id.values())


def extract_entities(body: str, extractor: EntityExtractor | None = None) -> tuple[list[Mention], list[Entity]]:
    """Mentions (in text order) and the distinct entities they refer to.

    >>> mentions, ents = extract_entities("قال وزير الخارجية الروسي سيرغى لافروف إن لافروف")
    >>> [(m.surface, m.entity_type) for m in mentions]
    [('سيرغى لافروف', 'PERSON'), ('لافروف', 'PERSON')]
    >>> ents[0].canonical_name
    'سيرغي لافروف'
    """
    if extractor is None or isinstance(extractor, (GazetteerExtractor, ModelExtractor)):
        a = analyze(body) if not isinstance(extractor, GazetteerExtractor) else analyze(body, False)
        return list(a.mentions), [Entity(e.entity_id, e.canonical_name, e.entity_type, list(e.aliases))
                                  for e in a.entities]
    mentions = sorted(extractor.extract(body), key=lambda m: m.char_start)
    return mentions, entities_of(mentions)
