"""A small fake build folder made from real records and rendered page images.

Sources: two page images (one OCR'd at 2x its pixel size), a two-page PDF (page 2 has a text
layer) and an HTML sheet. Each page carries a black box at a known place; examples cite those
boxes, so a correct crop is dark in the middle and white at the padded corners.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from manualtune.cache import write_json, write_jsonl
from manualtune.ocr.stage import page_json_path
from manualtune.records import (
    BBox,
    CleanupChange,
    Conflict,
    Example,
    ExcludedExample,
    Line,
    PageOCR,
    PageRef,
    Provenance,
    Quarantine,
    SourceFile,
    SplitAssignment,
    Word,
)

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
TASKS = ["SPEC", "PROCEDURE", "EXPLANATION", "WIRING", "TROUBLESHOOTING"]


@dataclass
class FakeBuild:
    build: Path
    source_root: Path
    boxes: dict[str, BBox] = field(default_factory=dict)  # example_id -> bbox cited (OCR space)
    crop_expected: dict[str, bool] = field(default_factory=dict)  # example_id -> crop should exist


def _font(size: int) -> ImageFont.ImageFont:
    try:
        return ImageFont.truetype(FONT, size)
    except OSError:
        return ImageFont.load_default()


def _page(w: int, h: int, box: tuple[int, int, int, int], title: str) -> Image.Image:
    img = Image.new("L", (w, h), 255)
    d = ImageDraw.Draw(img)
    d.text((40, 20), title, fill=0, font=_font(28))
    d.text((40, h - 60), "Tightening torque 55 Nm", fill=0, font=_font(22))
    d.rectangle(box, fill=0)
    return img


def _ocr(page_id: str, source: str, page: int, w: int, h: int, confs: list[float], engine: str,
         dpi: int | None = None, text_layer: bool = False) -> PageOCR:
    words = [
        Word(text=f"w{i}", bbox=BBox(x0=10 + 30 * i, y0=10, x1=35 + 30 * i, y1=30), conf=c)
        for i, c in enumerate(confs)
    ]
    line = Line(text=" ".join(w.text for w in words), bbox=BBox(x0=10, y0=10, x1=40 + 30 * len(confs), y1=30),
                conf=sum(confs) / len(confs), words=words)
    return PageOCR(page_id=page_id, source=source, page=page, sha256="0" * 64, engine=engine, width=w, height=h,
                   dpi=dpi, lines=[line], text=line.text,
                   mean_conf=None if text_layer else sum(confs) / len(confs), word_count=len(words))


def make_fake_build(root: Path, n_examples: int = 30) -> FakeBuild:
    """Write sources under ``root/src`` and a build folder under ``root/build``."""
    src, build = root / "src", root / "build"
    (src / "pages").mkdir(parents=True)
    fb = FakeBuild(build=build, source_root=src)

    # page 1: PNG, OCR space == image space
    box1 = (100, 120, 300, 180)
    _page(800, 600, box1, "Page one: cylinder head").save(src / "pages/p1.png")
    # page 2: JPEG, OCR'd at 2x (boxes in OCR space are 2x the image pixels)
    box2 = (200, 300, 420, 380)
    _page(500, 650, box2, "Page two").convert("RGB").save(src / "pages/p2.jpg", quality=92)
    # PDF: two pages saved at 100 dpi (1 px = 0.72 pt); OCR rendered at 200 dpi (2x the pixels)
    box3 = (60, 200, 260, 280)
    pdf_pages = [_page(620, 800, (400, 500, 500, 560), "PDF page 1"), _page(620, 800, box3, "PDF page 2")]
    pdf_pages[0].save(src / "manual.pdf", save_all=True, append_images=pdf_pages[1:], resolution=100.0)
    (src / "specs.html").write_text("<table id='techTable'><tr><td>Bore</td><td>93.4 mm</td></tr></table>")

    sources = [
        SourceFile(path="manual.pdf", sha256="a" * 64, size=1, kind="pdf", pages=2),
        SourceFile(path="pages/p1.png", sha256="b" * 64, size=1, kind="image", pages=1),
        SourceFile(path="pages/p2.jpg", sha256="c" * 64, size=1, kind="image", pages=1),
        SourceFile(path="specs.html", sha256="d" * 64, size=1, kind="html", pages=1),
    ]
    pid = {
        "p1": "pages/p1.png#p1@bbbbbbbbbbbb", "p2": "pages/p2.jpg#p1@cccccccccccc",
        "pdf1": "manual.pdf#p1@aaaaaaaaaaaa", "pdf2": "manual.pdf#p2@aaaaaaaaaaaa",
        "html": "specs.html#p1@dddddddddddd",
    }
    refs = [
        PageRef(page_id=pid["pdf1"], source="manual.pdf", page=1, sha256="a" * 64, kind="pdf_page"),
        PageRef(page_id=pid["pdf2"], source="manual.pdf", page=2, sha256="a" * 64, kind="pdf_page",
                has_text_layer=True),
        PageRef(page_id=pid["p1"], source="pages/p1.png", page=1, sha256="b" * 64, kind="image"),
        PageRef(page_id=pid["p2"], source="pages/p2.jpg", page=1, sha256="c" * 64, kind="image"),
        PageRef(page_id=pid["html"], source="specs.html", page=1, sha256="d" * 64, kind="html"),
    ]
    ocr_pages = [
        _ocr(pid["p1"], "pages/p1.png", 1, 800, 600, [96.0, 91.5, 88.0, 100.0, 45.0, 12.5], "tesseract 5.3.0"),
        _ocr(pid["p2"], "pages/p2.jpg", 1, 1000, 1300, [0.0, 9.9, 10.0, 73.0, 99.9], "tesseract 5.3.0"),
        _ocr(pid["pdf1"], "manual.pdf", 1, 1240, 1600, [55.0, 65.0, 95.0], "tesseract 5.3.0", dpi=200),
        _ocr(pid["pdf2"], "manual.pdf", 2, 1240, 1600, [100.0, 100.0], "pdf-text-layer", dpi=200,
             text_layer=True),
    ]
    for p in ocr_pages:
        write_json(page_json_path(build, p.page_id), p)  # the build's own file names

    prov = {
        "p1": Provenance(file="pages/p1.png", page=1, bbox=BBox(x0=box1[0], y0=box1[1], x1=box1[2], y1=box1[3]),
                         page_id=pid["p1"], ocr_confidence=90.0),
        "p2": Provenance(file="pages/p2.jpg", page=1,
                         bbox=BBox(x0=2 * box2[0], y0=2 * box2[1], x1=2 * box2[2], y1=2 * box2[3])),
        "pdf2": Provenance(file="manual.pdf", page=2,
                           bbox=BBox(x0=2 * box3[0], y0=2 * box3[1], x1=2 * box3[2], y1=2 * box3[3]),
                           page_id=pid["pdf2"]),
        "html": Provenance(file="specs.html", page=1, bbox=BBox(x0=0, y0=0, x1=10, y1=10)),
        "outside": Provenance(file="pages/p1.png", page=1, bbox=BBox(x0=5000, y0=5000, x1=5100, y1=5100)),
        "missing": Provenance(file="pages/gone.png", page=1, bbox=BBox(x0=0, y0=0, x1=10, y1=10)),
    }
    kinds = ["p1", "p2", "pdf2", "html", "outside", "missing", None]
    examples: list[Example] = []
    for i in range(n_examples):
        k = kinds[i % len(kinds)]
        ex_id = f"ex{i:03d}"
        q = f"What is the torque of bolt {i}?"
        if i == 3:
            q = "Is <script>alert('x')</script> & <b>bold</b> escaped?"
        examples.append(Example(
            example_id=ex_id, task=TASKS[i % len(TASKS)], question=q, answer=f"{10 + i} Nm",
            group_id=f"g{i // 2}", phrasing=i % 2, refusal=(i % 11 == 0),
            variant=[None, "S14", "M3"][i % 3], section=[None, "11 Engine", "21 Clutch", "34 Brakes"][i % 4],
            sources=[prov[k]] if k else [],
        ))
        if k is not None:
            fb.boxes[ex_id] = prov[k].bbox
        fb.crop_expected[ex_id] = k in ("p1", "p2", "pdf2")
    splits = [
        SplitAssignment(example_id=e.example_id, group_id=e.group_id, split=["train", "train", "val", "test"][j % 4])
        for j, e in enumerate(examples[:-2])
    ]
    excluded = [
        ExcludedExample(example_id=f"x{i}", reason=["number_not_on_page", "duplicate", "empty_answer"][i % 3],
                        detail=f"detail {i} <i>")
        for i in range(7)
    ]
    conflicts = [
        Conflict(conflict_id="c1", key="connecting rod bolt|torque|S14|", fact_ids=["f1", "f2"],
                 values=["55 Nm", "10 Nm + 30 Nm + 60°"], sources=[prov["p1"], prov["pdf2"]]),
        Conflict(conflict_id="c2", key="<b>clutch</b> pedal|length|M3|", fact_ids=["f3", "f4"],
                 values=["150 mm", "155 mm"], sources=[prov["p2"], prov["html"]]),
    ]
    audit = [
        CleanupChange(page_id=pid["p1"], before="5S", after="55", rule="digit_confusion", changes_value=True,
                      evidence="second OCR pass read 55"),
        CleanupChange(page_id=pid["p1"], before="1O", after="10", rule="digit_confusion", changes_value=True),
        CleanupChange(page_id=pid["p2"], before="Nrn", after="Nm", rule="unit_spelling"),
        CleanupChange(page_id=pid["p2"], before="mrn", after="mm", rule="unit_spelling"),
        CleanupChange(page_id=pid["pdf1"], before="to rque", after="torque", rule="split_word"),
    ]
    quarantine = [
        Quarantine(path="bad/empty.jpg", reason="empty_file", detail="0 bytes"),
        Quarantine(path="bad/locked.pdf", page=None, reason="encrypted_pdf", detail="needs a password"),
        Quarantine(path="manual.pdf", page=7, reason="ocr_failed", detail="tesseract crashed"),
    ]
    write_jsonl(build / "records/sources.jsonl", sources)
    write_jsonl(build / "records/pages.jsonl", refs)
    write_jsonl(build / "records/cleanup_audit.jsonl", audit)
    write_jsonl(build / "records/conflicts.jsonl", conflicts)
    write_jsonl(build / "quarantine.jsonl", quarantine)
    write_jsonl(build / "dataset/examples.jsonl", examples)
    write_jsonl(build / "dataset/excluded.jsonl", excluded)
    write_jsonl(build / "dataset/splits.jsonl", splits)
    write_json(build / "dataset/leakage.json", {
        "shared_fact_ids": {"train_test": [], "train_val": []},
        "shared_questions": 0,
        "ngram_overlap": {"n": 8, "max_jaccard": 0.12},
    })
    (build / "summary.json").write_text(json.dumps({"manualtune_version": "0.1.0", "source_root": str(src)}))
    return fb


@pytest.fixture
def fake_build(tmp_path: Path) -> FakeBuild:
    return make_fake_build(tmp_path)


@pytest.fixture
def make_build():
    """Factory: ``make_build(root)`` writes another fake build under ``root``."""
    return make_fake_build
