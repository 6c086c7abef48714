"""Inventory: page ids, PDF pages and text layers, and a quarantine reason for every broken file."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from manualtune.ingest import inventory, load_page_image, pdf_text_layer
from manualtune.ingest.pages import QuarantineError

RESOURCES = Path(__file__).parents[1] / "resources"
DEVDATA = Path(__file__).parents[3] / "shared" / "devdata"

_spec = importlib.util.spec_from_file_location("make_bad", RESOURCES / "make_bad.py")
make_bad = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_bad)


def _png(path: Path, value: int = 200, size: tuple[int, int] = (40, 30)) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.full(size[::-1], value, dtype=np.uint8)).save(path)


def test_every_bad_fixture_is_quarantined_with_its_reason():
    inv = inventory(RESOURCES / "bad")
    got = {q.path: q.reason for q in inv.quarantined}
    assert got == make_bad.EXPECTED
    assert inv.sources == [] and inv.pages == []
    assert all(q.detail for q in inv.quarantined)
    assert all((RESOURCES / "bad" / name).stat().st_size < 50_000 for name in make_bad.EXPECTED)


def test_fixtures_are_what_make_bad_writes(tmp_path):
    make_bad.make_all(tmp_path)
    for name in make_bad.EXPECTED:
        assert (tmp_path / name).read_bytes() == (RESOURCES / "bad" / name).read_bytes(), name


def test_same_named_files_in_two_folders_get_distinct_ids_and_sorted_order(tmp_path):
    _png(tmp_path / "b" / "page.png", 10)
    _png(tmp_path / "a" / "page.png", 20)
    (tmp_path / "a" / "page.truth.json").write_text("{}")
    (tmp_path / "README.md").write_text("# notes")
    (tmp_path / ".hidden.png").write_bytes(b"")
    inv = inventory(tmp_path)
    assert [s.path for s in inv.sources] == ["a/page.png", "b/page.png"]
    assert inv.quarantined == []
    ids = [p.page_id for p in inv.pages]
    assert len(set(ids)) == 2
    assert ids[0] == f"a/page.png#p1@{inv.sources[0].sha256[:12]}"
    assert inv.sources[0].sha256 != inv.sources[1].sha256


def test_pdf_pages_and_text_layer(tmp_path):
    (tmp_path / "doc.pdf").write_bytes(
        make_bad.minimal_pdf([["Torque 55 Nm", "Step 2 (30 Nm)"], []])
    )
    inv = inventory(tmp_path)
    assert [(p.page, p.kind, p.has_text_layer) for p in inv.pages] == [
        (1, "pdf_page", True),
        (2, "pdf_page", False),
    ]
    assert inv.sources[0].pages == 2
    page = pdf_text_layer(tmp_path, inv.pages[0], dpi=144)
    assert page is not None and page.engine == "pdf-text-layer"
    assert [ln.text for ln in page.lines] == ["Torque 55 Nm", "Step 2 (30 Nm)"]
    assert (page.width, page.height) == (600, 400)  # 300x200 pt at 144 dpi
    w = page.lines[0].words[0]
    assert w.text == "Torque" and w.conf == 100
    # text at x=20 pt, baseline 170 pt -> left edge ~40 px, baseline y=60 px (descender of "q" below)
    assert 36 <= w.bbox.x0 <= 44 and 30 <= w.bbox.y0 < 60 < w.bbox.y1 <= 70
    assert pdf_text_layer(tmp_path, inv.pages[1]) is None
    img = load_page_image(tmp_path, inv.pages[0], dpi=144)
    assert img.shape == (400, 600) and img.dtype == np.uint8
    # the rendered glyphs lie inside the text-layer word box
    assert img[w.bbox.y0 : w.bbox.y1, w.bbox.x0 : w.bbox.x1].min() < 100


def test_load_page_image_handles_rgba_and_16_bit(tmp_path):
    rgba = np.zeros((10, 12, 4), dtype=np.uint8)
    rgba[..., 3] = 0  # fully transparent -> white
    Image.fromarray(rgba, "RGBA").save(tmp_path / "a.png")
    Image.fromarray(np.full((10, 12), 65535, dtype=np.uint16)).save(tmp_path / "b.png")
    inv = inventory(tmp_path)
    a = load_page_image(tmp_path, inv.pages[0])
    b = load_page_image(tmp_path, inv.pages[1])
    assert a.shape == b.shape == (10, 12)
    assert a.min() == 255 and b.min() == 255


def test_wide_image_and_loader_errors(tmp_path):
    Image.new("L", (20001, 2), 255).save(tmp_path / "wide.png")
    inv = inventory(tmp_path)
    assert [(q.path, q.reason) for q in inv.quarantined] == [("wide.png", "image_too_large")]
    shutil.copy(RESOURCES / "bad" / "truncated.jpg", tmp_path / "t.jpg")
    from manualtune.cache import sha256_file
    from manualtune.records import PageRef

    sha = sha256_file(tmp_path / "t.jpg")
    ref = PageRef(page_id=f"t.jpg#p1@{sha[:12]}", source="t.jpg", page=1, sha256=sha, kind="image")
    with pytest.raises(QuarantineError) as e:
        load_page_image(tmp_path, ref)
    assert e.value.reason == "truncated_image"
    stale = ref.model_copy(update={"sha256": "0" * 64})  # not the bytes the inventory hashed
    with pytest.raises(QuarantineError) as e:
        load_page_image(tmp_path, stale)
    assert (e.value.reason, e.value.precise_reason) == ("changed_while_read", "changed_while_read")
    assert e.value.detail.startswith("sha256 ")


def test_html_in_other_encodings_is_accepted(tmp_path):
    (tmp_path / "a.html").write_bytes("<html><body>Drehmoment 55 Nm – °C</body></html>".encode("cp1252"))
    (tmp_path / "b.html").write_text("plain text, no markup")
    inv = inventory(tmp_path)
    assert [p.source for p in inv.pages] == ["a.html"]
    assert [(q.path, q.reason) for q in inv.quarantined] == [("b.html", "unreadable_html")]


def test_devdata_inventory():
    if not DEVDATA.is_dir():
        pytest.skip("no ../shared/devdata")
    inv = inventory(DEVDATA)
    assert inv.quarantined == []
    kinds = {s.kind for s in inv.sources}
    assert kinds == {"image", "pdf", "html"}
    pdf = [p for p in inv.pages if p.kind == "pdf_page"]
    assert len(pdf) == 130 and all(  # devdata README: 130 pages (6 held out)
        p.has_text_layer for p in pdf)
    assert not any(s.path.endswith((".json", ".md")) for s in inv.sources)
