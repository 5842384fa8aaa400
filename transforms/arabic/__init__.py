"""The Arabic language layer: every fact about written Arabic that khabar's rules rely on, in one place.

* :mod:`transforms.arabic.chars`: character sets (letters, diacritics, tatweel, controls, digits, quote marks)
  and character maps, each defined once;
* :mod:`transforms.arabic.fold`: folding to the comparison form, with offsets back into the text as written;
* :mod:`transforms.arabic.morphology`: proclitics, the article, relation adjectives and a light stemmer, from
  ``seeds/arabic/morphology.json``.

Every other module imports these rather than writing a character class or an affix list of its own.
"""
