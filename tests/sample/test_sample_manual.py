"""The bundled sample manual: deterministic, truth consistent with pages, PDF text layer and HTML sheet."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image
from selectolax.lexbor import LexborHTMLParser

from manualtune.sample import generate_sample_manual, truth_path
from manualtune.sample.content import PAGES
from manualtune.sample.model import parse_printed
from manualtune.sample.render import load_fonts, wrap

SUBSET = ["00 - Torque Specs/11-19.jpg", "11 - Engine/11-19.jpg", "*.pdf", "*.html"]


def _truths(root: Path) -> dict[str, dict]:
    manifest = json.loads((root / "MANIFEST.json").read_text(encoding="utf-8"))
    return {
        f["path"]: json.loads((root / f["truth"]).read_text(encoding="utf-8"))
        for f in manifest["files"]
        if f["kind"] != "truth"
    }


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_gives_identical_bytes_other_seed_differs(tmp_path: Path, sample_manual: Path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    generate_sample_manual(a, seed=0, pages=SUBSET)
    generate_sample_manual(b, seed=0, pages=SUBSET)
    generate_sample_manual(c, seed=1, pages=SUBSET)
    ta, tb, tc = _tree(a), _tree(b), _tree(c)
    assert ta == tb
    assert len([k for k in ta if k.endswith(".jpg")]) == 2
    # a subset writes the same page bytes as the full generation
    full = _tree(sample_manual)
    for rel in ("00 - Torque Specs/11-19.jpg", "Corvane-240-techspec.html", "Corvane-240-torque-supplement.pdf"):
        assert ta[rel] == full[rel]
    # another seed changes the scan noise/skew, not the text
    assert ta["11 - Engine/11-19.jpg"] != tc["11 - Engine/11-19.jpg"]
    ja = json.loads(ta["11 - Engine/11-19.truth.json"])
    jc = json.loads(tc["11 - Engine/11-19.truth.json"])
    assert ja["transcript"] == jc["transcript"] and ja["skew_angle"] != jc["skew_angle"]


def test_manifest_lists_every_file_with_its_sha256(sample_manual: Path):
    manifest = json.loads((sample_manual / "MANIFEST.json").read_text(encoding="utf-8"))
    listed = {f["path"]: f for f in manifest["files"]}
    on_disk = {str(p.relative_to(sample_manual).as_posix()) for p in sample_manual.rglob("*") if p.is_file()}
    assert set(listed) == on_disk - {"MANIFEST.json"}
    for rel, f in listed.items():
        assert hashlib.sha256((sample_manual / rel).read_bytes()).hexdigest() == f["sha256"]
    kinds = [f["kind"] for f in manifest["files"]]
    assert kinds.count("image") >= 28 and kinds.count("pdf") == 1 and kinds.count("html") == 1
    assert kinds.count("truth") == len(kinds) - kinds.count("truth")
    assert manifest["schema"] == "manualtune-sample-manifest/1" and manifest["seed"] == 0


def test_every_fact_is_printed_in_its_page_transcript(sample_manual: Path):
    truths = _truths(sample_manual)
    n_facts = 0
    for rel, t in truths.items():
        if rel.endswith(".html"):
            continue
        assert t["schema"] == "manualtune-page-truth/1" and t["file"] == rel
        joined = " ".join(t["transcript"])
        for f in t["facts"]:
            assert f["value_printed"] in f["text"], (rel, f)
            assert f["text"] in joined, (rel, f["text"])
            # the canonical value is what the printed value says
            wire = f["quantity"] == "wire"
            unit_part = f" {f['unit_printed']}" if f["unit_printed"] and f["unit_printed"] not in f["value_printed"] else ""
            assert parse_printed(f["value_printed"] + unit_part, wire=wire).value == f["value"], (rel, f)
            n_facts += 1
        header_footer = set(t["header_footer"])
        assert not header_footer & set(t["transcript"]), rel
    assert n_facts >= 150


def test_page_images_match_truth_size_dpi_and_skew(sample_manual: Path):
    truths = _truths(sample_manual)
    angles, dpis = [], set()
    for rel, t in truths.items():
        if not rel.endswith(".jpg"):
            continue
        with Image.open(sample_manual / rel) as im:
            assert im.format == "JPEG"
            assert list(im.size) == t["image_size"]
            assert round(im.info["dpi"][0]) == t["dpi"]
            gray = np.asarray(im.convert("L"))
        assert 150 < float(np.median(gray)) < 245, rel  # grey paper, not white
        assert -2.0 <= t["skew_angle"] <= 2.0 and t["deskew_angle"] == -t["skew_angle"]
        angles.append(t["skew_angle"])
        dpis.add(t["dpi"])
    assert dpis == {200, 300}
    assert len(set(angles)) > len(angles) // 2 and any(a < 0 for a in angles) and any(a > 0 for a in angles)


def test_same_name_files_in_two_folders_differ(sample_manual: Path):
    a = sample_manual / "00 - Torque Specs" / "11-19.jpg"
    b = sample_manual / "11 - Engine" / "11-19.jpg"
    assert a.read_bytes() != b.read_bytes()
    ta = json.loads((sample_manual / truth_path("00 - Torque Specs/11-19.jpg")).read_text(encoding="utf-8"))
    tb = json.loads((sample_manual / truth_path("11 - Engine/11-19.jpg")).read_text(encoding="utf-8"))
    assert ta["page_label"] == tb["page_label"] == "11-19"
    assert ta["kind"] == "spec_table" and tb["kind"] == "procedure"
    assert set(ta["transcript"]).isdisjoint(tb["transcript"])


def test_deliberate_conflict_on_cr25t_connecting_rod_bolts(sample_manual: Path):
    truths = _truths(sample_manual)

    def rod_bolts(rel: str) -> list[tuple[str, str]]:
        return [
            (f["value"], f["unit"])
            for f in truths[rel]["facts"]
            if f["component"] == "connecting rod bolts" and f["variant"] == "CR25T"
        ]

    assert rod_bolts("00 - Torque Specs/11-19.jpg") == [("55", "Nm")]
    assert rod_bolts("11 - Engine/11-44.jpg") == [("20", "Nm"), ("70", "°")]


def test_procedure_pages_have_multi_sentence_steps_tools_and_boxes(sample_manual: Path):
    truths = _truths(sample_manual)
    procs = [t for t in truths.values() if t["kind"] == "procedure"]
    assert len(procs) >= 8
    steps = [s for t in procs for s in t["steps"]]
    assert sum(1 for s in steps if s["text"].count(". ") >= 1) >= 20
    assert {"11 2 110", "13 3 060", "21 2 170"} <= {tool for s in steps for tool in s["special_tools"]}
    for t in procs:
        for p in t["procedures"]:
            assert p["steps"], (t["file"], p["op"])
            assert all(t["steps"][i - 1]["op"] == p["op"] for i in p["steps"])
        # every step's full text is printed (possibly wrapped over several lines)
        joined = " ".join(t["transcript"])
        for s in t["steps"]:
            assert f"{s['number']}. " + s["text"] in joined, s
    labels = {b["label"] for t in procs for b in t["boxes"]}
    assert {"WARNING", "NOTE", "CAUTION"} <= labels


def test_units_ranges_and_staged_specs_are_covered(sample_manual: Path):
    facts = [f for t in _truths(sample_manual).values() for f in t["facts"]]
    units = {f["unit"] for f in facts}
    assert {"Nm", "mm", "bar", "kPa", "psi", "l", "cm³", "kW", "rpm", "V", "Ω", "A", "°C", "°"} <= units
    assert any(f.get("alt_unit") == "hp" for f in facts)
    assert any(f["value"] == "0.20-0.30" and f["unit"] == "mm" for f in facts)
    assert any(f["text"].endswith("30 Nm + 90°") or "30 Nm + 90°" in f["text"] for f in facts)
    assert any(f.get("stage") == 3 for f in facts)
    wires = [f for f in facts if f["quantity"] == "wire"]
    assert any(f["value_printed"] == "2.5 GN" and f["unit"] == "" for f in wires)


def test_pdf_text_layer_contains_the_facts(sample_manual: Path):
    pdf = sample_manual / "Corvane-240-torque-supplement.pdf"
    truth = json.loads((sample_manual / truth_path(pdf.name)).read_text(encoding="utf-8"))
    doc = pdfium.PdfDocument(str(pdf))
    try:
        assert len(doc) == truth["page_count"] == 3
        texts = [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()
    assert truth["facts"]
    for f in truth["facts"]:
        page_text = " ".join(texts[f["page"] - 1].split())
        assert f["text"] in page_text, f
    for p in truth["pages"]:
        page_text = " ".join(texts[p["page"] - 1].split())
        assert all(line in page_text for line in p["transcript"])


def test_html_sheet_parses_and_its_facts_match_the_truth(sample_manual: Path):
    html = (sample_manual / "Corvane-240-techspec.html").read_text(encoding="utf-8")
    truth = json.loads((sample_manual / "Corvane-240-techspec.truth.json").read_text(encoding="utf-8"))
    tree = LexborHTMLParser(html)
    table = tree.css_first("table#techTable")
    assert table is not None
    parsed = []
    section = label = None
    variants: list[str] = []
    for tr_index, tr in enumerate(table.css("tr")):
        tds = tr.css("td")
        h2 = tds[0].css_first("h2")
        if h2 is not None:
            section = h2.text(strip=True)
            continue
        label = tds[0].text(strip=True) or label
        spans = [td for td in tds[1:] if td.css_first("span")]
        if label == "Model Code:":
            variants = [" ".join(td.text().split()) for td in spans]
        for i, td in enumerate(spans):
            text = " ".join(td.css_first("span").html.replace("<br>", " ").split())
            text = " ".join(LexborHTMLParser(text).text().split())
            variant = "all" if td.attributes.get("colspan") == "2" else variants[i]
            parsed.append({"tr_index": tr_index, "section": section, "label_context": label,
                           "variant": variant, "value": text})
    expected = [{k: r[k] for k in ("tr_index", "section", "label_context", "variant", "value")} for r in truth["rows"]]
    assert parsed == expected
    cells = {(r["tr_index"], r["variant"]): r for r in parsed}
    assert len(truth["facts"]) >= 15
    for f in truth["facts"]:
        cell = cells[(f["tr_index"], f["html_variant"])]
        assert f["text"] == cell["value"] and f["label"] == cell["label_context"]
        assert f["value_printed"] in f["text"]
    assert {f["variant"] for f in truth["facts"]} == {None, "CR20", "CR25T"}


def test_wrap_keeps_values_with_their_units():
    fonts = load_fonts(200)
    text = "Tighten the bolts to 0.20 - 0.30 mm and 30 Nm + 90° with tool 11 2 110 now."
    for width in range(150, 900, 37):
        lines = wrap(text, fonts["body"], width)
        assert " ".join(lines) == text
        assert any("0.20 - 0.30 mm" in line for line in lines)
        assert any("30 Nm + 90°" in line for line in lines)
        assert any("11 2 110" in line for line in lines)


def test_content_paths_are_unique_and_fictional():
    paths = [p.path for p in PAGES]
    assert len(paths) == len(set(paths)) >= 28
    text = json.dumps([repr(p) for p in PAGES])
    assert "Corvane" in text or "CR25T" in text
    for banned in ("BMW", "S14", "E30", "M3 "):
        assert banned not in text


def test_devdata_truth_keys_are_a_subset_of_ours(sample_manual: Path):
    dev = Path(__file__).resolve().parents[3] / "shared" / "devdata"
    if not dev.is_dir():
        pytest.skip("../shared/devdata not present")
    dev_truth = json.loads((dev / "proc_11-64.truth.json").read_text(encoding="utf-8"))
    ours = json.loads((sample_manual / "11 - Engine/11-44.truth.json").read_text(encoding="utf-8"))
    common = {"schema", "file", "kind", "page_label", "headings", "operation_codes", "facts", "steps",
              "procedures", "transcript", "notes"}
    assert common <= set(dev_truth) and common <= set(ours)
    dev_fact_keys = {"component", "quantity", "value", "unit", "condition", "text"}
    assert all(dev_fact_keys <= set(f) for f in ours["facts"])
