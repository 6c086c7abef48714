"""qa.json figures equal the counts in the input files; crops cut the cited region; bad input is survivable."""

from __future__ import annotations

import io
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from PIL import Image

from manualtune.cache import read_jsonl
from manualtune.records import (
    CleanupChange,
    Conflict,
    Example,
    ExcludedExample,
    PageOCR,
    Quarantine,
    SplitAssignment,
)
from manualtune.report import ReportConfig, collect_qa, write_report

DEVDATA = Path(__file__).resolve().parents[3] / "shared" / "devdata"


def _counts(values) -> dict[str, int]:
    return dict(Counter("none" if v is None else v for v in values))


def _qa(build: Path) -> dict:
    return json.loads((build / "report" / "qa.json").read_text(encoding="utf-8"))


def test_qa_counts_equal_input_files(fake_build) -> None:
    b = fake_build.build
    index = write_report(b, seed=0)
    assert index == b / "report" / "index.html" and index.is_file()
    qa = _qa(b)
    examples = read_jsonl(b / "dataset/examples.jsonl", Example)
    splits = read_jsonl(b / "dataset/splits.jsonl", SplitAssignment)
    excluded = read_jsonl(b / "dataset/excluded.jsonl", ExcludedExample)
    conflicts = read_jsonl(b / "records/conflicts.jsonl", Conflict)
    quarantine = read_jsonl(b / "quarantine.jsonl", Quarantine)
    audit = read_jsonl(b / "records/cleanup_audit.jsonl", CleanupChange)
    pages = read_jsonl(b / "records/pages.jsonl")

    assert qa["counts"]["examples"] == len(examples)
    assert qa["counts"]["pages"] == len(pages)
    assert qa["counts"]["excluded_examples"] == len(excluded)
    assert qa["examples"]["by_task"] == _counts(e.task for e in examples)
    assert qa["examples"]["by_section"] == _counts(e.section for e in examples)
    assert qa["examples"]["by_variant"] == _counts(e.variant for e in examples)
    assert qa["examples"]["by_split"] == _counts(s.split for s in splits)
    assert qa["examples"]["unassigned"] == len(examples) - len(splits)
    assert sum(sum(r.values()) for r in qa["examples"]["by_task_split"].values()) == len(examples)
    assert qa["excluded"]["by_reason"] == _counts(e.reason for e in excluded)
    assert [e["example_id"] for e in qa["excluded"]["first"]] == [e.example_id for e in excluded]
    assert qa["leakage"] == json.loads((b / "dataset/leakage.json").read_text())

    assert qa["conflicts"]["total"] == len(conflicts)
    by_id = {c["conflict_id"]: c for c in qa["conflicts"]["items"]}
    for c in conflicts:
        assert by_id[c.conflict_id]["component"] == c.key.split("|")[0]
        assert by_id[c.conflict_id]["values"] == c.values
        assert [x.split(" p.")[0] for x in by_id[c.conflict_id]["citations"]] == [s.file for s in c.sources]

    assert qa["quarantine"]["total"] == len(quarantine)
    assert sorted((q["path"], q["reason"]) for q in qa["quarantine"]["items"]) == sorted(
        (q.path, q.reason) for q in quarantine)

    rules = {r["rule"]: r for r in qa["cleanup"]["by_rule"]}
    assert set(rules) == {c.rule for c in audit}
    for rule, row in rules.items():
        mine = [c for c in audit if c.rule == rule]
        need = [c for c in mine if c.changes_value and not c.evidence]
        assert row["total"] == len(mine)
        assert row["needs_evidence"] == len(need)
        assert row["applied"] == len(mine) - len(need)
    assert qa["cleanup"]["needs_evidence"] == 1  # the one value edit in the fixture without evidence


def test_ocr_words_confidence_and_histogram(fake_build) -> None:
    b = fake_build.build
    qa = collect_qa(b)
    ocr = [PageOCR.model_validate_json(p.read_bytes()) for p in sorted((b / "ocr").glob("*.json"))]
    words = [w for p in ocr for ln in p.lines for w in ln.words]
    scored = [w.conf for p in ocr if p.engine != "pdf-text-layer" for ln in p.lines for w in ln.words]
    assert qa["counts"]["words"] == len(words)
    assert qa["counts"]["pages_ocr"] == len(ocr)
    assert qa["ocr"]["pages_text_layer"] == 1
    assert qa["counts"]["mean_ocr_confidence"] == pytest.approx(sum(scored) / len(scored), abs=0.01)
    hist = {h["bucket"]: h["count"] for h in qa["ocr"]["confidence_histogram"]}
    assert list(hist) == [f"{lo}-{lo + 10}" for lo in range(0, 100, 10)]
    assert sum(hist.values()) == len(scored)
    for conf in scored:  # each word's bucket holds at least it; 100 and 99.9 land in 90-100
        lo = min(int(conf // 10) * 10, 90)
        assert hist[f"{lo}-{lo + 10}"] >= 1
    expected = Counter(min(int(c // 10), 9) for c in scored)
    assert [h["count"] for h in qa["ocr"]["confidence_histogram"]] == [expected.get(i, 0) for i in range(10)]


def test_samples_are_seeded_and_crops_show_the_cited_box(fake_build) -> None:
    b = fake_build.build
    n = len(read_jsonl(b / "dataset/examples.jsonl"))
    qa = collect_qa(b, seed=0, cfg=ReportConfig(n_samples=n))
    assert len(qa["samples"]) == n
    for s in qa["samples"]:
        expect = fake_build.crop_expected[s["example_id"]]
        assert (s["crop"] is not None) == expect, (s["example_id"], s["crop_error"])
        if not expect:
            assert s["crop_error"]
            continue
        png = (b / "report" / s["crop"]).read_bytes()
        img = Image.open(io.BytesIO(png)).convert("L")
        assert img.size == (s["crop_width"], s["crop_height"])
        box = fake_build.boxes[s["example_id"]]
        pad = ReportConfig().crop_padding
        # crop = box + padding on each side (scaled to <= the thumbnail cap): dark centre, white corners
        ratio = (box.width + 2 * pad) / (box.height + 2 * pad)
        assert img.width / img.height == pytest.approx(ratio, rel=0.05)
        assert img.getpixel((img.width // 2, img.height // 2)) < 60
        assert img.getpixel((1, 1)) > 200 and img.getpixel((img.width - 2, img.height - 2)) > 200

    errors = {s["example_id"]: s["crop_error"] for s in qa["samples"] if s["crop_error"]}
    assert any("HTML" in e for e in errors.values())
    assert any("not found" in e for e in errors.values())
    assert any("outside" in e for e in errors.values())
    assert any("no sources" in e for e in errors.values())

    seed1 = {s["example_id"] for s in collect_qa(b, seed=1)["samples"]}
    first = [s["example_id"] for s in collect_qa(b, seed=0)["samples"]]
    qa20 = collect_qa(b, seed=0)
    assert len(qa20["samples"]) == 20
    assert [s["example_id"] for s in qa20["samples"]] == first
    assert set(first) != seed1
    # only the current sample's crops stay in report/crops
    kept = {s["crop"].split("/")[1] for s in qa20["samples"] if s["crop"]}
    assert {p.name for p in (b / "report" / "crops").glob("*.png")} == kept


def test_report_is_byte_identical_across_runs(tmp_path: Path, make_build) -> None:
    outs = []
    for name in ("a", "b"):
        fb = make_build(tmp_path / name)
        # same source_root path string in both builds, so the HTML may be compared byte for byte
        shutil.move(str(fb.source_root), str(tmp_path / "src"))
        summary = json.loads((fb.build / "summary.json").read_text())
        summary["source_root"] = str(tmp_path / "src")
        (fb.build / "summary.json").write_text(json.dumps(summary))
        write_report(fb.build, seed=3)
        rep = fb.build / "report"
        outs.append({p.relative_to(rep).as_posix(): p.read_bytes() for p in sorted(rep.rglob("*")) if p.is_file()})
        shutil.rmtree(tmp_path / "src")
    assert outs[0] == outs[1]
    assert any(k.startswith("crops/") for k in outs[0])


def test_empty_build_folder_renders_none(tmp_path: Path) -> None:
    index = write_report(tmp_path)
    qa = _qa(tmp_path)
    assert qa["counts"]["examples"] == 0 and qa["counts"]["mean_ocr_confidence"] is None
    assert qa["leakage"] is None and qa["samples"] == []
    assert set(qa["inputs"].values()) == {"missing"}
    html = index.read_text(encoding="utf-8")
    assert '<tr class="none"><td colspan="6">none</td></tr>' in html  # empty conflicts table


def test_damaged_inputs_are_listed_not_fatal(fake_build) -> None:
    b = fake_build.build
    with (b / "dataset/examples.jsonl").open("a", encoding="utf-8") as f:
        f.write("{not json\n")
        f.write(json.dumps({"example_id": "bad", "task": "NOPE"}) + "\n")
    (b / "dataset/excluded.jsonl").write_text("")
    (b / "dataset/leakage.json").write_text('{"ngram_overlap": NaN, "shared_questions": 2}')
    (b / "ocr/9999.json").write_text("[]")
    (b / "summary.json").write_text("{broken")
    write_report(b)
    qa = _qa(b)
    good = [ln for ln in (b / "dataset/examples.jsonl").read_text().splitlines() if ln.startswith('{"')]
    assert qa["counts"]["examples"] == len(good) - 1  # the last '{"' line fails validation
    assert qa["inputs"]["dataset/excluded.jsonl"] == "empty"
    assert qa["inputs"]["summary.json"] == "unreadable"
    assert qa["leakage"] == {"ngram_overlap": None, "shared_questions": 2}
    files = sorted({(p["file"], p["line"]) for p in qa["input_problems"]["first"]}, key=str)
    assert ("dataset/examples.jsonl", 31) in files and ("dataset/examples.jsonl", 32) in files
    assert ("ocr/9999.json", None) in files and ("summary.json", None) in files
    assert all(s["crop"] is None for s in qa["samples"])  # no source_root without summary.json


def test_text_is_escaped(fake_build) -> None:
    b = fake_build.build
    n = len(read_jsonl(b / "dataset/examples.jsonl"))
    write_report(b, cfg=ReportConfig(n_samples=n))
    html = (b / "report/index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<b>clutch" not in html
    assert "&lt;script&gt;alert(" in html and "&lt;b&gt;clutch&lt;/b&gt;" in html
    assert "<script" not in html.lower()  # no scripts at all: a static page
    assert "http://" not in html and "https://" not in html  # no external assets


def test_devdata_scan_crop(tmp_path: Path) -> None:
    if not (DEVDATA / "proc_11-64.jpg").is_file():
        pytest.skip("devdata not present")
    from manualtune.records import BBox, Provenance
    from manualtune.report.crops import PageImages, make_crop

    cfg = ReportConfig()
    with Image.open(DEVDATA / "proc_11-64.jpg") as im:
        w, h = im.size
    prov = Provenance(file="proc_11-64.jpg", page=1, bbox=BBox(x0=w // 5, y0=h // 4, x1=w // 2, y1=h // 3))
    crop = make_crop(PageImages(DEVDATA, [], cfg), prov, cfg)
    img = Image.open(io.BytesIO(crop.png))
    assert img.width <= cfg.crop_max_width and img.height <= cfg.crop_max_height
    ratio = (w // 2 - w // 5 + 2 * cfg.crop_padding) / (h // 3 - h // 4 + 2 * cfg.crop_padding)
    assert img.width / img.height == pytest.approx(ratio, rel=0.05)
    assert crop.png == make_crop(PageImages(DEVDATA, [], cfg), prov, cfg).png


def test_tiny_box_gets_context_and_a_frame() -> None:
    from manualtune.records import BBox
    from manualtune.report.crops import BOX_COLOUR, crop_region

    cfg = ReportConfig()
    page = Image.new("RGB", (1000, 800), (255, 255, 255))
    page.paste((0, 0, 0), (495, 395, 505, 405))  # a 10x10 mark in the middle
    crop = crop_region(page, BBox(x0=495, y0=395, x1=505, y1=405), cfg)
    img = Image.open(io.BytesIO(crop.png)).convert("RGB")
    # context: at least the configured share of the page, scaled into the thumbnail cap
    src_w, src_h = round(cfg.crop_min_width_frac * 1000), round(cfg.crop_min_height_frac * 800)
    scale = min(cfg.crop_max_upscale, cfg.crop_max_width / src_w, cfg.crop_max_height / src_h)
    assert img.size == (round(src_w * scale), round(src_h * scale))
    assert img.getpixel((img.width // 2, img.height // 2)) == (0, 0, 0)
    reds = [x for x in range(img.width) if img.getpixel((x, img.height // 2)) == BOX_COLOUR]
    assert reds and min(reds) < img.width // 2 < max(reds)  # the frame surrounds the mark
    # a box touching the page edge shifts the window inside the page instead of shrinking it
    edge = crop_region(page, BBox(x0=0, y0=0, x1=10, y1=10), cfg)
    assert (edge.width, edge.height) == (crop.width, crop.height)
