"""Named entities (PERSON, ORG, PLACE) in an Arabic article body, with offsets into that body.

The package, layer by layer:

* :mod:`~transforms.entities.reference`: the reference lists (``seeds/entities/*.json``) folded and indexed,
  and :func:`entity_id`, the same id for the same entity in every article and run;
* :mod:`~transforms.entities.tokens`: the words of a text with their offsets, folded forms and per-word facts
  (:func:`tokens_of`), which the quote pass reads too;
* :mod:`~transforms.entities.matching`: reference matching, the default extractor's passes: reference names,
  role titles and the names after them, organisation heads, names with a known given name or a role in
  apposition, later mentions by surname (:func:`analyze`);
* :mod:`~transforms.entities.model`: the trained CRF (``seeds/models/ner.npz``, ``make train``) applied with
  numpy per word type; its spans join the reference matches where those found nothing;
* :mod:`~transforms.entities.extractor`: the :class:`EntityExtractor` interface, the default
  :class:`ModelExtractor` (model plus reference matching), :class:`GazetteerExtractor` (reference matching
  alone) and :func:`extract_entities`.

Words are compared in folded form (:func:`transforms.arabic.fold.fold_arabic`) after stripping proclitics
(``و ف ب ل ك لل``, :mod:`transforms.arabic.morphology`): a mention's ``surface`` is the word as written
*without* the proclitic and its offsets are those of that stripped span, so
``body[char_start:char_end] == surface`` always holds.
"""
from transforms.entities.extractor import (
    EntityExtractor,
    GazetteerExtractor,
    ModelExtractor,
    entities_of,
    extract_entities,
)
from transforms.entities.matching import MAX_NAME_WORDS, Analysis, ReferenceMatcher, Role, Span, analyze
from transforms.entities.reference import GazEntry, Reference, entity_id, reference
from transforms.entities.tokens import (
    ATTRIBUTION,
    PARTICIPLE,
    QUOTE_SHIFT,
    VERB,
    WEAK,
    Tok,
    Tokens,
    WordInfo,
    fold,
    proclitic_forms,
    reporting_kinds,
    tokenize,
    tokens_of,
    word_info,
)

__all__ = ["ATTRIBUTION", "MAX_NAME_WORDS", "PARTICIPLE", "QUOTE_SHIFT", "VERB", "WEAK", "Analysis", "EntityExtractor",
           "GazEntry", "GazetteerExtractor", "ModelExtractor", "Reference", "ReferenceMatcher", "Role", "Span", "Tok", "Tokens",
           "WordInfo", "analyze", "entities_of", "entity_id", "extract_entities", "fold", "proclitic_forms",
           "reference", "reporting_kinds", "tokenize", "tokens_of", "word_info"]
