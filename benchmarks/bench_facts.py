"""Dev benchmark: fact precision/recall on the dev scans (../shared/devdata) before the full pipeline.

OCRs each dev page with tesserocr directly (psm 3, 300-dpi scans as-is), runs the facts
cleanup (with second-opinion OCR on the page pixels), builds blocks (naively, one paragraph
block per OCR line; ``--layout`` uses ``manualtune.layout.build_blocks`` instead), runs
``extract_facts`` and the HTML sheet parser, and scores against the ``*.truth.json`` files.

    .venv/bin/python benchmarks/bench_facts.py [--devdata ../shared/devdata] [--layout] [--show-misses]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image

from manualtune.cache import sha256_file
from manualtune.facts import cleanup_page, extract_facts, parse_techspec_html
from manualtune.facts.config import FactsConfig
from manualtune.quality.fact_score import score_facts
from manualtune.records import BBox, Block, Line, PageOCR, Provenance, Word


def ocr_page(path: Path, rel: str, tessdata: str) -> tuple[PageOCR, np.ndarray]:
    import tesserocr
    from tesserocr import RIL, iterate_level

    gray = np.array(Image.open(path).convert("L"))
    lines: list[Line] = []
    with tesserocr.PyTessBaseAPI(path=tessdata, lang="eng", psm=tesserocr.PSM.AUTO) as api:
        api.SetImage(Image.fromarray(gray))
        api.Recognize()
        it = api.GetIterator()
        for r in iterate_level(it, RIL.TEXTLINE):
            text = (r.GetUTF8Text(RIL.TEXTLINE) or "").strip()
            box = r.BoundingBox(RIL.TEXTLINE)
            if not text or box is None:
                continue
            lines.append(Line(text=text, bbox=BBox(x0=box[0], y0=box[1], x1=box[2], y1=box[3]),
                              conf=r.Confidence(RIL.TEXTLINE), words=[]))
        words: list[Word] = []
        it = api.GetIterator()
        for r in iterate_level(it, RIL.WORD):
            t = (r.GetUTF8Text(RIL.WORD) or "").strip()
            box = r.BoundingBox(RIL.WORD)
            if t and box is not None:
                words.append(Word(text=t, bbox=BBox(x0=box[0], y0=box[1], x1=box[2], y1=box[3]),
                                  conf=r.Confidence(RIL.WORD)))
    for line in lines:  # attach words to their line by box centre
        line.words = [w for w in words if line.bbox.y0 <= (w.bbox.y0 + w.bbox.y1) / 2 <= line.bbox.y1
                      and line.bbox.x0 - 2 <= w.bbox.x0 and w.bbox.x1 <= line.bbox.x1 + 2]
        if line.words:
            line.text = " ".join(w.text for w in line.words)
    sha = sha256_file(path)
    page = PageOCR(
        page_id=f"{rel}#p1@{sha[:12]}", source=rel, page=1, sha256=sha, engine="tesseract (bench)",
        width=gray.shape[1], height=gray.shape[0], lines=lines, text="\n".join(x.text for x in lines),
        mean_conf=float(np.mean([x.conf for x in lines])) if lines else None,
        word_count=sum(len(x.words) for x in lines),
    )
    return page, gray


def naive_blocks(page: PageOCR) -> list[Block]:
    return [
        Block(block_id=f"{page.page_id}/b{i}", page_id=page.page_id, kind="paragraph", order=i, text=line.text,
              source=Provenance(file=page.source, page=1, bbox=line.bbox, ocr_confidence=line.conf,
                                page_id=page.page_id))
        for i, line in enumerate(page.lines)
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--devdata", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "devdata")
    ap.add_argument("--layout", action="store_true", help="use manualtune.layout.build_blocks")
    ap.add_argument("--no-second-opinion", action="store_true")
    ap.add_argument("--show-misses", action="store_true")
    args = ap.parse_args(argv)
    if not args.devdata.is_dir():
        print(f"no devdata folder at {args.devdata}", file=sys.stderr)
        return 2
    cfg = FactsConfig(second_opinion=not args.no_second_opinion)
    facts = []
    audit = []
    t0 = time.perf_counter()
    for img in sorted(args.devdata.glob("*.jpg")):
        page, gray = ocr_page(img, img.name, cfg.tessdata)
        page, changes = cleanup_page(page, cfg, lambda g=gray: g)
        audit.extend(changes)
        if args.layout:
            from manualtune.layout import build_blocks

            blocks = build_blocks(page)
        else:
            blocks = naive_blocks(page)
        facts.extend(extract_facts(blocks, cfg, audit=changes))
    for html in sorted(args.devdata.glob("*.html")):
        facts.extend(parse_techspec_html(html, html.name, cfg)[0])
    seconds = time.perf_counter() - t0
    score = score_facts(facts, args.devdata)
    scan = [p for p in score.pages if not p.file.endswith(".html")]
    s_t, s_p, s_m = sum(p.truth for p in scan), sum(p.predicted for p in scan), sum(p.matched for p in scan)
    print(f"{'page':28} truth pred match  prec  rec")
    for p in score.pages:
        print(f"{p.file:28} {p.truth:5} {p.predicted:4} {p.matched:5} {p.precision:5.2f} {p.recall:5.2f}")
    print(f"scans only: precision {s_m / s_p if s_p else 1:.3f} recall {s_m / s_t if s_t else 1:.3f} "
          f"({s_m}/{s_p} predicted, {s_m}/{s_t} truth)")
    print(f"overall:    precision {score.precision:.3f} recall {score.recall:.3f} f1 {score.f1:.3f}")
    review = sum(1 for f in facts if f.needs_review)
    print(f"facts {len(facts)} (needs_review {review}), cleanup changes {len(audit)} "
          f"(applied value edits {sum(1 for c in audit if c.changes_value and c.evidence)}, "
          f"unverified {sum(1 for c in audit if c.changes_value and not c.evidence)}), {seconds:.1f} s")
    if args.show_misses:
        for f in score.false_facts:
            print("FALSE", f["file"], f["component"], "|", f["value"], f["value_max"], f["unit"])
        for m in score.misses:
            print("MISS ", m["file"], m["component"][:40], "|", m["value"], m["value_max"], m["unit"])
        for c in audit:
            print("AUDIT", c.rule, repr(c.before), "->", repr(c.after), c.changes_value, c.evidence)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
