"""Hostile inputs: every file ends as a processed page or a quarantine entry with a reason.

Mutated images and PDFs are generated with ``hypothesis`` (a bounded, derandomized number of
cases, so the suite is fast and repeatable); the rest are hand-made cases, one per rule:
pixel bombs, broken / encrypted PDFs, deep or oddly encoded HTML, odd file names, symlinks,
FIFOs, a file that changes while it is read and a decode that runs past its time limit.
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import struct
import tempfile
import zlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from PIL import Image

from manualtune.cache import sha256_file, stable_json
from manualtune.ingest import inventory, load_page_image, pdf_text_layer
from manualtune.ingest.pages import QuarantineError
from manualtune.ingest.reasons import REASONS, reason_of, record_reasons
from manualtune.records import Quarantine

RESOURCES = Path(__file__).parents[1] / "resources"
_spec = importlib.util.spec_from_file_location("make_bad", RESOURCES / "make_bad.py")
make_bad = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_bad)

FUZZ = settings(
    max_examples=200, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _image_bytes(fmt: str) -> bytes:
    """A small real page-like image (text strokes on grey paper) in ``fmt``."""
    rng = np.random.default_rng(0)
    arr = np.full((60, 90), 235, dtype=np.uint8)
    arr[10:14, 5:80] = 20
    arr[30:34, 5:60] = 30
    arr = np.clip(arr.astype(int) + rng.integers(-8, 8, arr.shape), 0, 255).astype(np.uint8)
    buf = io.BytesIO()
    kwargs = {"compression": "tiff_lzw"} if fmt == "TIFF" else {}
    Image.fromarray(arr).save(buf, format=fmt, **kwargs)
    return buf.getvalue()


SEEDS = {".jpg": _image_bytes("JPEG"), ".png": _image_bytes("PNG"), ".tif": _image_bytes("TIFF"),
         ".pdf": make_bad.minimal_pdf([["Torque 45 Nm", "Bore 93.4 mm"], []])}


def outcomes(root: Path) -> tuple[dict[str, str], list[Quarantine]]:
    """What a build makes of ``root`` before OCR: inventory, then every page read as the OCR stage
    reads it. Returns ({page_id: 'page'}, quarantine records); anything else raised fails the test."""
    inv = inventory(root)
    pages: dict[str, str] = {}
    quarantined = list(inv.quarantined)
    for ref in inv.pages:
        try:
            if ref.kind == "pdf_page" and ref.has_text_layer:
                page = pdf_text_layer(root, ref)
                assert page is not None and page.lines
            elif ref.kind != "html":
                img = load_page_image(root, ref, dpi=72)
                assert img.dtype == np.uint8 and img.ndim == 2 and img.size > 0
            pages[ref.page_id] = "page"
        except QuarantineError as e:
            quarantined.append(Quarantine(path=ref.source, page=ref.page, reason=e.reason, detail=e.detail))
    for q in quarantined:
        assert q.reason in record_reasons() and reason_of(q) in REASONS and q.detail, q
        stable_json(q).encode("utf-8")  # every record can be written
    return pages, quarantined


def _accounted(root: Path, names: list[str], pages: dict, quarantined: list[Quarantine]) -> None:
    seen = {pid.split("#", 1)[0] for pid in pages} | {q.path for q in quarantined}
    assert seen == set(names), (seen, names)


@FUZZ
@given(
    ext=st.sampled_from(sorted(SEEDS)),
    mutation=st.sampled_from(["truncate", "flip", "truncate+flip"]),
    cut=st.floats(0.0, 1.0),
    flips=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 7)), min_size=1, max_size=6),
)
def test_truncated_and_bit_flipped_files_end_as_page_or_quarantine(ext, mutation, cut, flips):
    data = bytearray(SEEDS[ext])
    if "flip" in mutation:
        for where, bit in flips:
            i = min(len(data) - 1, int(where * len(data)))
            data[i] ^= 1 << bit
    if "truncate" in mutation:
        data = data[: int(cut * (len(data) - 1))]
    data = bytes(data)
    with tempfile.TemporaryDirectory() as d:
        root = Path(d)
        (root / f"page{ext}").write_bytes(data)
        pages, quarantined = outcomes(root)
        _accounted(root, [f"page{ext}"], pages, quarantined)
        event(f"{ext}: " + ("page" if pages else reason_of(quarantined[0])))  # --hypothesis-show-statistics


def _png_header_only(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 100)
    return b"\x89PNG\r\n\x1a\n" + make_bad._png_chunk(b"IHDR", ihdr) + make_bad._png_chunk(b"IDAT", idat) + \
        make_bad._png_chunk(b"IEND", b"")


def _jpeg_with_size(width: int, height: int) -> bytes:
    data = bytearray(SEEDS[".jpg"])
    sof = data.index(b"\xff\xc0")  # baseline frame header: FF C0 len(2) precision(1) height(2) width(2)
    data[sof + 5: sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def test_pixel_bombs_are_refused_before_decoding(tmp_path):
    (tmp_path / "bomb.png").write_bytes(make_bad.bomb_png())
    (tmp_path / "header-100k.png").write_bytes(_png_header_only(100_000, 100_000))
    (tmp_path / "header-wide.png").write_bytes(_png_header_only(60_000, 3))
    (tmp_path / "huge.jpg").write_bytes(_jpeg_with_size(65_000, 65_000))
    pages, quarantined = outcomes(tmp_path)
    assert pages == {}
    assert {q.path: q.reason for q in quarantined} == {
        "bomb.png": "image_too_large", "header-100k.png": "image_too_large", "header-wide.png": "image_too_large",
        "huge.jpg": "image_too_large",
    }


def test_broken_xref_encrypted_and_truncated_pdfs(tmp_path):
    good = make_bad.minimal_pdf([["Torque 45 Nm"]])
    xref = good.rindex(b"startxref")
    (tmp_path / "bad-startxref.pdf").write_bytes(good[:xref] + b"startxref\n999999\n%%EOF\n")
    (tmp_path / "no-xref.pdf").write_bytes(good[: good.index(b"xref")] + b"%%EOF\n")
    (tmp_path / "garbled-xref.pdf").write_bytes(good.replace(b" 00000 n ", b" 0000x n "))
    (tmp_path / "encrypted.pdf").write_bytes(make_bad.minimal_pdf([["x"]], encrypted=True))
    (tmp_path / "half.pdf").write_bytes(good[: len(good) // 2])
    (tmp_path / "header-only.pdf").write_bytes(b"%PDF-1.7\n")
    pages, quarantined = outcomes(tmp_path)
    got = {q.path: q.reason for q in quarantined}
    assert got["encrypted.pdf"] == "encrypted_pdf"
    assert got["header-only.pdf"] == "corrupt_pdf"
    # PDFium rebuilds a broken cross-reference table: such files are read, with their text
    repaired = {pid.split("#")[0] for pid in pages}
    assert {"bad-startxref.pdf", "no-xref.pdf", "garbled-xref.pdf"} <= repaired | set(got)
    assert "bad-startxref.pdf" in repaired
    _accounted(tmp_path, [p.name for p in tmp_path.iterdir()], pages, quarantined)


def test_html_deep_nesting_and_odd_encodings(tmp_path):
    sheet = '<html><body><table id="techTable"><tr><td>Bore</td><td>93.4 mm – 0.5°</td></tr></table></body></html>'
    (tmp_path / "deep.html").write_text("<html><body>" + "<div>" * 100_000 + "55 Nm" + "</div>" * 100_000)
    (tmp_path / "utf16.html").write_bytes(sheet.encode("utf-16"))
    (tmp_path / "utf8-bom.html").write_bytes(sheet.encode("utf-8-sig"))
    (tmp_path / "cp1252.html").write_bytes(sheet.encode("cp1252"))
    (tmp_path / "shift-jis.html").write_bytes(sheet.replace("Bore", "ボア").replace("–", "-").encode("shift_jis"))
    (tmp_path / "nul.html").write_bytes(sheet.encode() + b"\x00" * 50)
    (tmp_path / "binary.htm").write_bytes(bytes(range(256)) * 4)
    pages, quarantined = outcomes(tmp_path)
    got = {q.path: q.detail for q in quarantined}
    assert "deep.html" in got and "100002 levels deep" in got["deep.html"]
    assert "utf16.html" in got and "UTF-16-encoded" in got["utf16.html"] and "iconv" in got["utf16.html"]
    assert {"nul.html", "binary.htm"} <= set(got)
    assert {"utf8-bom.html", "cp1252.html"} <= {pid.split("#")[0] for pid in pages}
    _accounted(tmp_path, [p.name for p in tmp_path.iterdir()], pages, quarantined)


def test_decode_html_reads_what_the_bytes_say():
    from manualtune.ingest.inventory import decode_html

    text = "<p>Valve clearance (below 35 °C): 0.28–0.33 mm, Ø 33 mm</p>"
    for enc in ("utf-8", "utf-8-sig", "cp1252"):
        assert decode_html(text.encode(enc)) == text, enc
    meta = '<meta charset="iso-8859-1"><p>Ventilspiel 0,20 mm bei 20 °C</p>'
    assert decode_html(meta.encode("latin-1")) == meta
    for bad in (text.encode("utf-16"), text.encode("utf-32"), b"<p>\x00\x00</p>"):
        with pytest.raises(QuarantineError):
            decode_html(bad)


def test_odd_file_names(tmp_path):
    png = SEEDS[".png"]
    names = ["with space.png", "ünïcødé 日本.png", "new\nline.png", "tab\tand#hash@x.png", "-dash.png"]
    for n in names:
        (tmp_path / n).write_bytes(png)
    bad = os.fsencode(str(tmp_path)) + b"/latin1-\xe9.png"  # not UTF-8
    with open(bad, "wb") as f:
        f.write(png)
    pages, quarantined = outcomes(tmp_path)
    assert sorted(pid.split("#p1@")[0] for pid in pages) == sorted(names)
    assert [(q.path, reason_of(q)) for q in quarantined] == [("latin1-\\xe9.png", "bad_file_name")]


def test_symlinks_are_never_followed_out_of_the_source(tmp_path):
    root, outside = tmp_path / "src", tmp_path / "outside"
    (root / "sub").mkdir(parents=True)
    outside.mkdir()
    (root / "sub" / "real.png").write_bytes(SEEDS[".png"])
    (outside / "secret.png").write_bytes(SEEDS[".jpg"])
    (root / "to-outside.png").symlink_to(outside / "secret.png")
    (root / "outside-folder").symlink_to(outside, target_is_directory=True)
    (root / "up").symlink_to(root, target_is_directory=True)  # a loop through the tree
    (root / "a.png").symlink_to(root / "b.png")
    (root / "b.png").symlink_to(root / "a.png")  # a 2-link loop
    (root / "self.png").symlink_to(root / "self.png")
    (root / "dangling.png").symlink_to(root / "missing.png")
    (root / "inside.png").symlink_to(root / "sub" / "real.png")
    (root / "sub-again").symlink_to(root / "sub", target_is_directory=True)
    pages, quarantined = outcomes(root)
    assert sorted(pid.split("#")[0] for pid in pages) == ["inside.png", "sub/real.png"]
    assert {q.path: reason_of(q) for q in quarantined} == {
        "a.png": "symlink_loop", "b.png": "symlink_loop", "self.png": "symlink_loop",
        "dangling.png": "dangling_symlink", "to-outside.png": "symlink_outside_source",
        "outside-folder": "symlink_outside_source", "up": "symlinked_folder", "sub-again": "symlinked_folder",
    }
    assert all(sha256_file(outside / "secret.png")[:12] not in pid for pid in pages)


def test_a_build_folder_inside_the_source_is_not_read(tmp_path):
    (tmp_path / "page.png").write_bytes(SEEDS[".png"])
    for out, marker in (("build", "build_manifest.json"), ("running", "build.lock")):
        (tmp_path / out / "report" / "crops").mkdir(parents=True)
        (tmp_path / out / "report" / "crops" / "c1.png").write_bytes(SEEDS[".png"])
        (tmp_path / out / "report" / "index.html").write_text("<html><body>55 Nm</body></html>")
        (tmp_path / out / marker).write_text("{}")
    (tmp_path / "not-a-build" / "cache").mkdir(parents=True)  # a folder merely named like one is read
    (tmp_path / "not-a-build" / "cache" / "p.png").write_bytes(SEEDS[".png"])
    pages, quarantined = outcomes(tmp_path)
    assert sorted(pid.split("#")[0] for pid in pages) == ["not-a-build/cache/p.png", "page.png"]
    assert [(q.path, reason_of(q)) for q in quarantined] == [("build", "build_folder"), ("running", "build_folder")]


def test_a_folder_that_cannot_be_listed_is_reported(tmp_path, monkeypatch):
    (tmp_path / "ok.png").write_bytes(SEEDS[".png"])
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "p.png").write_bytes(SEEDS[".png"])
    real_scandir = os.scandir

    def scandir(path="."):
        if Path(path).name == "locked":  # as root a chmod 000 folder is still readable: refuse it here
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    pages, quarantined = outcomes(tmp_path)
    assert [pid.split("#")[0] for pid in pages] == ["ok.png"]
    assert [(q.path, q.reason, q.detail) for q in quarantined] == [
        ("locked", "other", "cannot list the folder: Permission denied")
    ]


def test_fifo_socket_named_like_a_page_is_never_opened(tmp_path):
    os.mkfifo(tmp_path / "pipe.jpg")  # opening it for reading would block forever
    (tmp_path / "ok.png").write_bytes(SEEDS[".png"])
    pages, quarantined = outcomes(tmp_path)
    assert list(pages) and [(q.path, reason_of(q)) for q in quarantined] == [("pipe.jpg", "not_a_regular_file")]
    assert "FIFO" in quarantined[0].detail


def test_file_changed_after_the_inventory_is_quarantined_at_read(tmp_path):
    (tmp_path / "p.png").write_bytes(SEEDS[".png"])
    (tmp_path / "d.pdf").write_bytes(SEEDS[".pdf"])
    inv = inventory(tmp_path)
    (tmp_path / "p.png").write_bytes(SEEDS[".png"][:-1] + b"\x00")  # rewritten between inventory and OCR
    (tmp_path / "d.pdf").write_bytes(make_bad.minimal_pdf([["Torque 99 Nm"], []]))
    for ref in inv.pages:
        with pytest.raises(QuarantineError) as e:
            if ref.kind == "pdf_page" and ref.has_text_layer:
                pdf_text_layer(tmp_path, ref)
            else:
                load_page_image(tmp_path, ref)
        assert e.value.precise_reason == "changed_while_read", ref


def test_file_changed_while_the_inventory_reads_it(tmp_path, monkeypatch):
    import importlib

    inv_mod = importlib.import_module("manualtune.ingest.inventory")  # the package re-exports a function of that name

    (tmp_path / "p.png").write_bytes(SEEDS[".png"])
    real = inv_mod.sha256_file

    def hash_then_rewrite(path):
        digest = real(path)
        Path(path).write_bytes(SEEDS[".png"] + b"appended by a scanner still writing")
        return digest

    monkeypatch.setattr(inv_mod, "sha256_file", hash_then_rewrite)
    inv = inventory(tmp_path, cache_dir=tmp_path / ".cache")
    assert inv.pages == [] and [reason_of(q) for q in inv.quarantined] == ["changed_while_read"]
    assert not list((tmp_path / ".cache").rglob("*.json"))  # what was read is not what was hashed: not cached


def test_slow_decode_is_quarantined_with_a_reason_of_its_own(tmp_path, monkeypatch):
    arr = np.random.default_rng(1).integers(0, 255, (1500, 1500), dtype=np.uint8)  # incompressible: many chunks
    Image.fromarray(arr).save(tmp_path / "slow.png")
    monkeypatch.setenv("MANUALTUNE_DECODE_TIMEOUT", "0.001")
    pages, quarantined = outcomes(tmp_path)
    assert pages == {}
    q = quarantined[0]
    assert (q.reason, reason_of(q)) == ("decode_timeout", "decode_timeout") and "MANUALTUNE_DECODE_TIMEOUT" in q.detail
    monkeypatch.setenv("MANUALTUNE_DECODE_TIMEOUT", "0")  # off: the same file is a page
    pages, quarantined = outcomes(tmp_path)
    assert list(pages) and quarantined == []


def test_reasons_table_rows():
    """Each precise reason maps to a storable record and back; record reasons pass through."""
    from manualtune.ingest.reasons import as_record_reason

    for reason, meaning in REASONS.items():
        assert meaning
        stored, detail = as_record_reason(reason, "d")
        q = Quarantine(path="x", reason=stored, detail=detail)
        assert reason_of(q) == reason
    with pytest.raises(ValueError):
        as_record_reason("no_such_reason", "d")
    json.dumps(REASONS)


def test_inventory_cache_skips_decoding_unchanged_files_only(tmp_path, monkeypatch):
    import importlib

    inv_mod = importlib.import_module("manualtune.ingest.inventory")
    root, cache = tmp_path / "src", tmp_path / "cache"
    root.mkdir()
    (root / "a.png").write_bytes(SEEDS[".png"])
    (root / "d.pdf").write_bytes(SEEDS[".pdf"])
    (root / "t.jpg").write_bytes(SEEDS[".jpg"][:300])  # truncated: its quarantine is cached too
    first = inventory(root, cache_dir=cache)
    assert first == inventory(root)  # the same result as without a cache

    def no_decoding(*a, **k):
        raise AssertionError("an unchanged file was decoded again")

    monkeypatch.setattr(inv_mod, "open_image", no_decoding)
    monkeypatch.setattr(inv_mod, "open_pdf", no_decoding)
    assert inventory(root, cache_dir=cache) == first
    monkeypatch.undo()
    Image.fromarray(np.full((30, 40), 90, dtype=np.uint8)).save(root / "a.png")  # a new version: inspected
    monkeypatch.setattr(inv_mod, "open_pdf", no_decoding)
    again = inventory(root, cache_dir=cache)
    assert [s.sha256 for s in again.sources] != [s.sha256 for s in first.sources] and len(again.pages) == 3
    monkeypatch.undo()
    slow = np.random.default_rng(1).integers(0, 255, (1500, 1500), dtype=np.uint8)
    Image.fromarray(slow).save(root / "slow.png")
    monkeypatch.setenv("MANUALTUNE_DECODE_TIMEOUT", "0.001")
    assert "slow.png" in {q.path for q in inventory(root, cache_dir=cache).quarantined}
    monkeypatch.setenv("MANUALTUNE_DECODE_TIMEOUT", "0")  # a timeout is not cached: read now
    assert "slow.png" in {s.path for s in inventory(root, cache_dir=cache).sources}
