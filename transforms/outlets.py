"""Which outlet published an article: URL host, feed source, page signatures, the agency's own site.

The reference data is ``seeds/outlets.json`` (domains, hosts, feed source ids, the names outlets sign their
bylines with, footer/stamp signatures) plus the ``outlet`` field of ``seeds/agencies.json``.

Order of evidence (:func:`resolve_outlet`), strongest first, and never a guess:

1. the record's URL host, as the URL writes it (``www.``, ``m.``, ``amp.`` stripped): ``bbc.co.uk`` and
   ``bbc.com`` both stay what their URLs say (:func:`canonical_domain` says they are one outlet);
2. the feed's ``source`` field (a SaudiNewsNet id such as ``aleqtisadiya`` or a domain);
3. the outlet's own name in the byline (``سبق``, ``«الشرق الأوسط»``, ``الوئام``); names that are also a place
   or a common word (``الرياض``, ``اليوم``, ``المدينة``, ``الجزيرة``, ``الوطن``) never decide alone;
4. a signature in the page text: footer links and phrases only that outlet prints
   (``telegram.me/SyrianArabNewsAgency``, ``باسم سانا``), or a stamp style only it uses (CNN Arabic's
   ``آخر تحديث الثلاثاء, 06 سبتمبر/ايلول 2016; 10:04 (GMT +0400).``);
5. the agency of the dateline when that agency publishes its own site (``سانا`` → ``sana.sy``), as the
   contract allows ("its agency in the dateline").

Otherwise None.
"""
from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any
from urllib.parse import urlsplit

from transforms import seeds
from transforms.normalize import match_key

_HOST_PREFIX = re.compile(r"^(www\d?|m|amp|mobile)\.")
_DOMAINISH = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+$")


def name_key(text: str) -> str:
    """Lookup key for names: ``match_key`` with spaces removed, so ``أ.ف.ب`` = ``أ ف ب`` = ``ا ف ب``.

    >>> name_key("«الشرق الأوسط»") == name_key("الشرق الاوسط"), name_key("أ.ف.ب") == name_key("ا ف ب")
    (True, True)
    """
    return match_key(text).replace(" ", "").lower()


@cache
def outlet_tables() -> dict[str, Any]:
    """``seeds/outlets.json`` and the agencies' own sites, indexed once.

    Keys: ``hosts`` (host -> domain), ``sources`` (feed source id -> domain), ``names`` (name key -> domain),
    ``ambiguous`` (name key -> domain), ``agency_sites`` (agency name key -> domain), ``own_sites`` (name key
    of a broadcaster credited like an agency -> its own domain), ``signatures``
    (list of (compiled regex, domain)).

    >>> outlet_tables()["sources"]["aleqtisadiya"]
    'aleqt.com'
    """
    outlets = seeds.outlets()["outlets"]
    agencies = seeds.agencies()["agencies"]
    hosts: dict[str, str] = {}
    sources: dict[str, str] = {}
    names: dict[str, str] = {}
    ambiguous: dict[str, str] = {}
    signatures: list[tuple[re.Pattern[str], str]] = []
    for o in outlets:
        dom = o["domain"]
        for h in [dom, *o.get("hosts", [])]:
            hosts[_HOST_PREFIX.sub("", h.lower())] = dom
        for s in o.get("source_ids", []):
            sources[s.lower()] = dom
        for n in o.get("names", []):
            names[name_key(n)] = dom
        for n in o.get("ambiguous_names", []):
            ambiguous[name_key(n)] = dom
        for sig in o.get("signatures", []):
            signatures.append((re.compile(sig, re.I | re.M), dom))
    agency_sites = {name_key(n): a["outlet"] for a in agencies if a.get("outlet")
                    for n in [a["canonical"], *a.get("aliases", [])]}
    own_sites = {name_key(n): a["own_outlet"] for a in agencies if a.get("own_outlet")
                 for n in [a["canonical"], *a.get("aliases", [])]}
    return {"hosts": hosts, "sources": sources, "names": names, "ambiguous": ambiguous,
            "agency_sites": agency_sites, "own_sites": own_sites, "signatures": signatures}


def domain_from_url(url: str | None) -> str | None:
    """The outlet domain of a URL: its host without ``www.``/``m.``/``amp.`` (the outlet as the URL names it).

    >>> domain_from_url("http://www.aleqt.com/2015/07/20/article_974722.html"), domain_from_url("https://m.Example.org/x")
    ('aleqt.com', 'example.org')
    >>> domain_from_url("http://www.bbc.co.uk/arabic/business-43351036"), domain_from_url("not a url") is None
    ('bbc.co.uk', True)
    """
    if not url:
        return None
    parts = urlsplit(url.strip() if "//" in url else "//" + url.strip())
    return _host_domain((parts.hostname or "").lower().rstrip("."))


@lru_cache(maxsize=10_000)
def _host_domain(host: str) -> str | None:
    """The rest of :func:`domain_from_url` (a function of the host only; hosts repeat, URLs do not)."""
    return _HOST_PREFIX.sub("", host) if _DOMAINISH.match(host) else None


def canonical_domain(domain: str | None) -> str | None:
    """The seed's canonical domain of an outlet domain or host (its other hosts and sub-domains map to it).

    >>> canonical_domain("bbc.co.uk"), canonical_domain("gate.ahram.org.eg"), canonical_domain("example.org")
    ('bbc.com', 'ahram.org.eg', 'example.org')
    """
    return _domain_of_host(domain.lower()) if domain else None


@lru_cache(maxsize=10_000)
def _domain_of_host(host: str) -> str | None:
    """The canonical domain of a host (a function of the host only; hosts repeat, URLs do not)."""
    if not _DOMAINISH.match(host):
        return None
    host = _HOST_PREFIX.sub("", host)
    tables = outlet_tables()
    if host in tables["hosts"]:
        return tables["hosts"][host]
    # a sub-domain of a known outlet (gate.ahram.org.eg, english.aawsat.com) belongs to it
    for known, dom in tables["hosts"].items():
        if host.endswith("." + known):
            return dom
    return host


def domain_from_source(source: str | None) -> str | None:
    """The outlet of a feed's ``source`` field: a known id (``sabq``), a domain, or an outlet name.

    >>> domain_from_source("sabq"), domain_from_source("www.alyaum.com"), domain_from_source("الوئام")
    ('sabq.org', 'alyaum.com', 'alweeam.com.sa')
    >>> domain_from_source("unknown feed") is None
    True
    """
    if not source or not source.strip():
        return None
    tables = outlet_tables()
    s = source.strip().lower()
    if s in tables["sources"]:
        return tables["sources"][s]
    if _DOMAINISH.match(s) or "://" in s:
        return domain_from_url(s)
    return tables["names"].get(name_key(source))


def outlet_by_name(name: str) -> tuple[str | None, bool]:
    """(domain, ambiguous) for an outlet's name as its bylines write it; (None, False) if not an outlet name.

    >>> outlet_by_name("«الاقتصادية»"), outlet_by_name("اليوم"), outlet_by_name("بوتين")
    (('aleqt.com', False), ('alyaum.com', True), (None, False))
    """
    key = name_key(name)
    tables = outlet_tables()
    if key in tables["names"]:
        return tables["names"][key], False
    if key in tables["ambiguous"]:
        return tables["ambiguous"][key], True
    return None, False


def domain_from_signatures(page_text: str) -> str | None:
    """The outlet whose signature (footer link, subscription phrase, stamp style) occurs first in the page.

    >>> domain_from_signatures("تابعوا عبر الرابط https://telegram.me/SyrianArabNewsAgency")
    'sana.sy'
    >>> domain_from_signatures("آخر تحديث الثلاثاء, 06 سبتمبر/ايلول 2016; 10:04 (GMT +0400).")
    'arabic.cnn.com'
    >>> domain_from_signatures("أعلن الرئيس الروسي فلاديمير بوتين، أمس") is None
    True
    """
    if not page_text:
        return None
    best: tuple[int, str] | None = None
    for rx, dom in outlet_tables()["signatures"]:
        m = rx.search(page_text)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), dom)
    return best[1] if best else None


def is_own_name(agency: str | None, outlet: str | None) -> bool:
    """True when ``agency`` is the outlet's own name (a broadcaster crediting itself: ``(CNN)`` on CNN's site):
    the outlet's name is never its agency. A news agency on its own site (واس on spa.gov.sa) stays the agency.

    >>> is_own_name("CNN", "arabic.cnn.com"), is_own_name("سكاي نيوز", "skynewsarabia.com"), is_own_name("CNN", "alweeam.com.sa")
    (True, True, False)
    >>> is_own_name("واس", "spa.gov.sa")
    False
    """
    own = outlet_tables()["own_sites"].get(name_key(agency)) if agency else None
    return own is not None and outlet is not None and canonical_domain(own) == canonical_domain(outlet)


def domain_of_agency(agency: str | None) -> str | None:
    """The site of an agency that publishes its own pages (``سانا`` → ``sana.sy``), else None.

    >>> domain_of_agency("سانا"), domain_of_agency("رويترز")
    ('sana.sy', None)
    """
    return outlet_tables()["agency_sites"].get(name_key(agency)) if agency else None


def resolve_outlet(url: str | None, source: str | None, page_text: str, byline: str | None,
                   agency: str | None) -> str | None:
    """The article's ``outlet_domain`` from the strongest evidence available (see the module docstring).

    >>> resolve_outlet("https://www.sana.sy/?p=1", None, "", None, None)
    'sana.sy'
    >>> resolve_outlet(None, "aawsat", "", "لندن: «الشرق الأوسط»", None)
    'aawsat.com'
    >>> resolve_outlet(None, None, "", "علي حفول- سبق- نجران:", None)
    'sabq.org'
    >>> resolve_outlet(None, None, "أكد بوتين أن ...", None, "سانا")
    'sana.sy'
    >>> resolve_outlet(None, None, "أعلن الرئيس الروسي", None, "الوكالات") is None
    True
    """
    found = domain_from_url(url) or domain_from_source(source)
    if found:
        return found
    if byline:
        from transforms.dateline import parse_byline  # dateline imports this module: import late

        found = parse_byline(byline).outlet_domain
        if found:
            return found
    return domain_from_signatures(page_text) or domain_of_agency(agency)
