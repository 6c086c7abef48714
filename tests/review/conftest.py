"""A tiny hand-made build folder: one rendered page image, its OCR, facts with known risks.

Facts (all on ``manual/p1.png`` unless said):
  torque   'Cylinder head bolts 45 Nm'   conf 62  (low_confidence)                        bbox y 100-130
  torque   'Oil drain plug <script>…'    conf 95  needs_review, cleanup changed its value  bbox y 200-230
  length   'Spark plug gap 0.8 mm'       conf 97  no risk                                  bbox y 300-330
  torque   'Connecting rod bolts 55 Nm'  p1 and 'Connecting rod bolts 20 Nm' on manual/p2.png: a conflict
One kept example (from the 45 Nm fact) and one excluded example (id only).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from manualtune.cache import write_json, write_jsonl
from manualtune.records import (
    BBox,
    CleanupChange,
    Example,
    ExcludedExample,
    Line,
    PageOCR,
    Provenance,
    SpecFact,
    Word,
)

W, H = 800, 500
LINES = [
    ("Cylinder head bolts 45 Nm", 100, 62.0),
    ("Oil drain plug <script>alert(1)</script> 25 Nm", 200, 95.0),
    ("Spark plug gap 0.8 mm", 300, 97.0),
    ("Connecting rod bolts 55 Nm", 400, 96.0),
]


def _page(page_id: str, source: str, lines: list[tuple[str, int, float]]) -> PageOCR:
    out = []
    for text, y, conf in lines:
        box = BBox(x0=40, y0=y, x1=700, y1=y + 30)
        out.append(Line(text=text, bbox=box, conf=conf, words=[Word(text=text, bbox=box, conf=conf)]))
    return PageOCR(page_id=page_id, source=source, page=1, sha256="0" * 64, engine="test", width=W, height=H,
                   dpi=300, lines=out, text="\n".join(t for t, _, _ in lines), mean_conf=90.0, word_count=len(out))


def _fact(fid: str, component: str, value: str, unit: str, text: str, page_id: str, file: str, y: int,
          conf: float, quantity: str = "torque", **kw) -> SpecFact:
    prov = Provenance(file=file, page=1, bbox=BBox(x0=40, y0=y, x1=700, y1=y + 30), ocr_confidence=conf,
                      page_id=page_id)
    return SpecFact(fact_id=fid, component=component, quantity=quantity, value=value, unit=unit,
                    value_printed=value, unit_printed=unit, text=text, source=prov, ocr_confidence=conf,
                    section="11 00 Engine", variant=kw.pop("variant", None), **kw)


P1, P2 = "manual/p1.png#p1@000000000001", "manual/p2.png#p1@000000000002"


def tiny_facts() -> list[SpecFact]:
    return [
        _fact("f-head", "Cylinder head bolts", "45", "Nm", LINES[0][0], P1, "manual/p1.png", 100, 62.0),
        _fact("f-drain", "Oil drain plug <script>alert(1)</script>", "25", "Nm", LINES[1][0], P1, "manual/p1.png",
              200, 95.0, needs_review=True, review_reason="unverified OCR edit '2S'->'25'"),
        _fact("f-gap", "Spark plug gap", "0.8", "mm", LINES[2][0], P1, "manual/p1.png", 300, 97.0, quantity="clearance"),
        _fact("f-rod1", "Connecting rod bolts", "55", "Nm", LINES[3][0], P1, "manual/p1.png", 400, 96.0),
        _fact("f-rod2", "Connecting rod bolts", "20", "Nm", "Connecting rod bolts 20 Nm", P2, "manual/p2.png",
              100, 96.0),
    ]


def make_tiny_build(root: Path) -> Path:
    """Write the source page images and the build folder under ``root``; returns the build folder."""
    src, build = root / "src", root / "build"
    (src / "manual").mkdir(parents=True)
    for name, lines in (("p1.png", LINES), ("p2.png", [("Connecting rod bolts 20 Nm", 100, 96.0)])):
        img = Image.new("L", (W, H), 235)
        draw = ImageDraw.Draw(img)
        for text, y, _ in lines:
            draw.text((45, y + 8), text, fill=20)
        img.save(src / "manual" / name)
    pages = [_page(P1, "manual/p1.png", LINES), _page(P2, "manual/p2.png", [("Connecting rod bolts 20 Nm", 100, 96.0)])]
    for p in pages:
        write_json(build / "ocr" / f"{p.page_id.replace('/', '_')}.json", p)
    facts = tiny_facts()
    write_jsonl(build / "records" / "facts.jsonl", facts)
    write_jsonl(build / "review" / "facts_extracted.jsonl", facts)
    write_jsonl(build / "records" / "cleanup_audit.jsonl", [
        CleanupChange(page_id=P1, bbox=BBox(x0=600, y0=202, x1=640, y1=228), before="2S", after="25",
                      rule="letter_in_number", changes_value=True, evidence="digits re-OCR + rapidocr agree"),
    ])
    for rel in ("records/blocks.jsonl", "records/procedures.jsonl", "records/conflicts.jsonl"):
        write_jsonl(build / rel, [])
    ex = Example(example_id="ex-head", task="SPEC", question="What is the tightening torque of the cylinder head bolts?",
                 answer="45 Nm (manual p. 1).", group_id="spec-f-head", fact_ids=["f-head"],
                 sources=[facts[0].source], section="11 00 Engine")
    write_jsonl(build / "dataset" / "examples.jsonl", [ex])
    write_jsonl(build / "dataset" / "excluded.jsonl",
                [ExcludedExample(example_id="ex-gone", reason="ungrounded_number", detail="99")])
    (build / "summary.json").write_text(json.dumps({"counts": {}, "source_root": str(src)}), encoding="utf-8")
    return build


@pytest.fixture()
def tiny_build(tmp_path) -> Path:
    return make_tiny_build(tmp_path)
