#!/usr/bin/env python3
"""``make eval``: khabar against the gold and against its peers, side by side.

1. The seed scorer (../shared/eval/score.py) over warehouse/ (built by ``make run``).
2. Dates: khabar's parser against dateparser's ``search_dates`` on the same labelled strings and
   articles (scripts/compare_dates.py).
3. Main text from HTML: khabar (trafilatura + khabar's chrome rules and page anatomy) against
   trafilatura alone, on HTML pages built from the seed pages and dev-corpus articles wrapped in real-looking
   site chrome (navigation, share bars, 'read also' lists, comment notices, footers, inline follow-us
   lines and photo credits). A page counts as correct when ≥ 95% of its article sentences are kept and
   none of its chrome phrases survive.
"""
from __future__ import annotations

import html
import json
import random
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

INLINE_CHROME = [
    "تابعونا على تويتر وفيسبوك للاطلاع على آخر الأخبار",
    "صورة: أرشيف",
    "اقرأ أيضا: الأخبار الأكثر قراءة اليوم",
    "للاشتراك في خدمة الأخبار العاجلة عبر واتساب أرسل كلمة اشتراك",
]
PAGE_CHROME = ["الرئيسية", "جميع الحقوق محفوظة", "أضف تعليقك", "الأكثر قراءة"]


def wrap_html(title: str, paragraphs: list[str], seed: int) -> tuple[str, list[str]]:
    """An article page with chrome around and inside the article; returns the page and its chrome phrases."""
    rnd = random.Random(seed)
    inline = rnd.sample(INLINE_CHROME, 2)
    body = list(paragraphs)
    body.insert(min(1, len(body)), inline[0])
    body.append(inline[1])
    paras = "\n".join(f"<p>{html.escape(p)}</p>" for p in body)
    page = f"""<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>{html.escape(title)}</title></head>
<body><header><nav><a href="/">الرئيسية</a> <a href="/politics">سياسة</a> <a href="/sport">رياضة</a></nav></header>
<main><article><h1>{html.escape(title)}</h1>{paras}</article>
<aside><h3>الأكثر قراءة</h3><ul><li><a href="/a1">خبر آخر عن الاقتصاد</a></li><li><a href="/a2">خبر رياضي</a></li></ul></aside>
<section class="comments"><h4>أضف تعليقك</h4></section></main>
<footer>جميع الحقوق محفوظة © 2016</footer></body></html>"""
    return page, inline + PAGE_CHROME


def html_cases(limit: int = 200) -> list[tuple[str, str, list[str], list[str]]]:
    """(name, html, article paragraphs, chrome phrases) from the seeds' gold bodies and the dev corpus."""
    cases = []
    corpus = SHARED / "corpora" / "saudinewsnet-dev"
    arts = []
    for z in sorted(corpus.glob("*.zip"))[:2]:
        with zipfile.ZipFile(z) as zf:
            arts += json.loads(zf.read(zf.namelist()[0]).decode("utf-8"))
    rnd = random.Random(7)
    arts = [a for a in arts if len((a.get("content") or "").split()) > 80]
    for i, a in enumerate(rnd.sample(arts, min(limit, len(arts)))):
        paras = [p.strip() for p in a["content"].split("\n") if len(p.split()) >= 6]
        if len(paras) < 2:
            continue
        page, chrome = wrap_html(a["title"], paras, i)
        cases.append((f"corpus-{i}", page, paras, chrome))
    return cases


def sentences_kept(paras: list[str], text: str) -> float:
    from transforms.normalize import match_key

    got = match_key(text)
    return sum(match_key(p) in got for p in paras) / len(paras)


def compare_html() -> None:
    import trafilatura

    from transforms.article import extract
    from transforms.formats import Limits, parse_file

    cases = html_cases()
    results = {}
    for method in ("trafilatura alone", "khabar"):
        ok = kept = removed = 0.0
        t = time.perf_counter()
        for name, page, paras, chrome in cases:
            if method == "khabar":
                rec = parse_file(name + ".html", page.encode("utf-8"), Limits()).records[0]
                ex = extract(rec, None, __import__("datetime").datetime.now(__import__("datetime").UTC))
                text = getattr(ex, "body", "")
            else:
                text = trafilatura.extract(page) or ""
            k = sentences_kept(paras, text)
            r = sum(c not in text for c in chrome) / len(chrome)
            kept += k
            removed += r
            ok += k >= 0.95 and r == 1.0
        secs = time.perf_counter() - t
        n = len(cases)
        results[method] = (ok / n, kept / n, removed / n, n / secs)
    print(f"\nMain text from HTML ({len(cases)} pages)")
    print(f"  {'method':22} {'accuracy':>9} {'body kept':>10} {'chrome removed':>15} {'pages/s':>8}")
    for m, (acc, k, r, rate) in results.items():
        print(f"  {m:22} {acc:9.3f} {k:10.3f} {r:15.3f} {rate:8.0f}")


def main() -> int:
    print("Seed scores (../shared/eval/score.py, warehouse/)")
    score = SHARED / "eval" / "score.py"
    subprocess.run([sys.executable, str(score), "--warehouse", str(ROOT / "warehouse"),
                    "--gold", str(SHARED / "labels" / "seeds.gold.json")], check=False)
    print("\nDates: khabar vs dateparser.search_dates")
    subprocess.run([sys.executable, str(ROOT / "scripts" / "compare_dates.py")], check=False)
    compare_html()
    return 0


if __name__ == "__main__":
    sys.exit(main())
