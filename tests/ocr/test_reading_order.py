"""Column-aware reading order on the sample manual: CER vs the truth transcripts, deskew sign."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from manualtune.config import BuildConfig
from manualtune.ingest import inventory
from manualtune.layout.config import LayoutConfig
from manualtune.layout.geometry import TextLine, split_at_columns
from manualtune.ocr.reading_order import order_lines
from manualtune.ocr.stage import run_ocr_stage
from manualtune.quality.ocr_score import score_ocr
from manualtune.records import BBox, Line, Word

# two-column procedure pages whose columns tesseract reads across a narrow gutter, a two-column
# troubleshooting page, and a one-column page with a ruled table
PAGES = ["11 - Engine/11-44.jpg", "21 - Clutch/21-5.jpg", "12 - Engine Electrical/12-40.jpg", "11 - Engine/11-19.jpg"]
TWO_COLUMN = PAGES[:3]


@pytest.fixture(scope="module")
def sample_ocr(sample_manual: Path, tmp_path_factory) -> tuple[Path, list]:
    """OCR of the few sample pages this module needs (a build folder with ocr/ + summary.json)."""
    build = tmp_path_factory.mktemp("ro-build")
    refs = [r for r in inventory(sample_manual).pages if r.source in PAGES]
    assert sorted(r.source for r in refs) == sorted(PAGES)
    result = run_ocr_stage(sample_manual, refs, build, BuildConfig(), workers=2)
    assert not result.quarantined
    (build / "summary.json").write_text(json.dumps({"source_root": str(sample_manual)}), encoding="utf-8")
    return build, result.pages


def test_sample_two_column_cer(sample_manual: Path, sample_ocr) -> None:
    build, _ = sample_ocr
    score = score_ocr(build, sample_manual, raw=True)
    by_file = {p.file: p for p in score.pages}
    assert sorted(by_file) == sorted(PAGES)
    # measured: overall CER 0.068 (raw tesseract 0.27); per page 11-19 0.068, 11-44 0.054,
    # 12-40 0.070, 21-5 0.086. Before column-aware order: 0.75 / 0.74 / 0.65 on the two-column pages.
    assert score.cer < 0.09
    assert score.raw_cer is not None and score.cer < 0.5 * score.raw_cer
    for f in TWO_COLUMN:
        assert by_file[f].cer < 0.15, (f, by_file[f].cer)


def test_sample_reading_order_left_column_first(sample_ocr) -> None:
    _, pages = sample_ocr
    page = next(p for p in pages if p.source == "11 - Engine/11-44.jpg")
    lines = page.text.splitlines()
    find = {key: next(i for i, ln in enumerate(lines) if key in ln) for key in
            ("Only install connecting", "rods must not be machined", "Mount the bearing cap", "Use angle gauge")}
    # left column (steps 1-3) fully before the right column (steps 4-6); header first, footer last
    assert find["Only install connecting"] < find["rods must not be machined"] < find["Mount the bearing cap"]
    assert find["Mount the bearing cap"] < find["Use angle gauge"]
    assert "11-44" in lines[0] and "Corvane 240 Repair Manual" in "\n".join(lines[-2:])
    # no printed line mixes the two columns
    assert not any("machined" in ln and "Stretched" in ln for ln in lines)


def test_deskew_angle_is_the_straightening_rotation(sample_manual: Path, sample_ocr) -> None:
    _, pages = sample_ocr
    for page in pages:
        truth = json.loads((sample_manual / page.source).with_suffix(".truth.json").read_text(encoding="utf-8"))
        # truth: deskew_angle = -skew_angle (the counter-clockwise rotation that straightens the scan)
        assert truth["skew_angle"] != 0
        assert abs(page.deskew_angle - truth["deskew_angle"]) <= 0.3, (page.source, page.deskew_angle, truth)
        assert abs(page.deskew_angle + truth["skew_angle"]) <= 0.3


def _word(text: str, x0: int, x1: int, y0: int = 100, h: int = 30) -> Word:
    return Word(text=text, bbox=BBox(x0=x0, y0=y0, x1=x1, y1=y0 + h), conf=95.0)


def test_narrow_gutter_line_is_cut_and_full_width_line_is_not() -> None:
    cfg = LayoutConfig()
    # gutter at 1000: gap 960 -> 1040 (80 px, 2.7 x line height, less than the 2 x height segment gap + 1)
    jumped = [_word("end", 880, 960), _word("of", 1040, 1080), _word("right", 1100, 1200)]
    cols = split_at_columns(TextLine(words=jumped), 1000, 2000, cfg)
    assert {c: [[w.text for w in s] for s in segs] for c, segs in cols.items()} == {0: [["end"]], 1: [["of", "right"]]}
    # a full-width line whose word space falls on the split stays one spanning piece
    full = [_word(f"w{i}", 300 + i * 100, 380 + i * 100) for i in range(12)]
    cols = split_at_columns(TextLine(words=full), 1000, 2000, cfg)
    assert list(cols) == [-1] and len(cols[-1][0]) == 12


def test_order_lines_index_rows_read_across() -> None:
    """Op codes and titles in separate tesseract blocks come back as one visual row each."""
    codes = [Line(text=f"11 00 0{i}", bbox=BBox(x0=100, y0=200 + 50 * i, x1=250, y1=230 + 50 * i), conf=90,
                  words=[_word(f"11 00 0{i}", 100, 250, 200 + 50 * i)], block_num=1) for i in range(3)]
    titles = [Line(text=f"Title {i}", bbox=BBox(x0=400, y0=202 + 50 * i, x1=700, y1=232 + 50 * i), conf=90,
                   words=[_word("Title", 400, 520, 202 + 50 * i), _word(str(i), 540, 560, 202 + 50 * i)], block_num=2)
              for i in range(3)]
    _, text = order_lines(codes + titles, [], 1000, 1000)
    assert text.splitlines() == [f"11 00 0{i} Title {i}" for i in range(3)]


def _three_column_index(rows: int = 14) -> tuple[list[Line], list[BBox]]:
    """A three-column index page (title ..... page, three times across, 1800 px wide): narrow
    gutters (60 px) and dot leaders (painted out, passed as fills) that stop 55 px short of their
    page reference, tesseract's blocks one per column of titles and one per column of references."""
    lines, fills = [], []
    for k in range(3):
        x = 100 + 560 * k
        for i in range(rows):
            y = 200 + 40 * i
            title = [_word("Heated", x, x + 90, y), _word(f"Seats{k}{i}", x + 100, x + 200, y)]
            lines.append(Line(text=" ".join(w.text for w in title), bbox=BBox.enclosing([w.bbox for w in title]),
                              conf=90, words=title, block_num=2 * k))
            fills.append(BBox(x0=x + 215, y0=y + 14, x1=x + 360, y1=y + 18))
            ref = _word(f"62{k}{i % 10}-0", x + 415, x + 500, y)
            lines.append(Line(text=ref.text, bbox=ref.bbox, conf=90, words=[ref], block_num=2 * k + 1))
    return lines, fills


def test_three_column_index_page_reads_each_column_title_with_its_page() -> None:
    """A leader reaches over the blank run to its page reference (no gutter between them); the page
    has two gutters, each column's rows are rebuilt on their own: 'Heated Seats00 6200-0', not a
    row running from the left column's page into the middle column's title."""
    lines, fills = _three_column_index()
    _, text = order_lines(lines, [], 1000, 1800, fills=fills)
    assert text.splitlines() == [f"Heated Seats{k}{i} 62{k}{i % 10}-0" for k in range(3) for i in range(14)]


def test_three_column_split_needs_dot_leaders() -> None:
    """Without leaders (no index page) only the one gutter of the ordinary column split is used."""
    from manualtune.ocr.reading_order import index_column_splits

    lines, fills = _three_column_index()
    assert index_column_splits(lines, [], 1800, 1000, 1221, LayoutConfig(), fills=[]) == [1221]
    assert len(index_column_splits(lines, [], 1800, 1000, 1221, LayoutConfig(), fills=fills)) == 2


from ocr_real import REALPAGES  # noqa: E402


@pytest.mark.skipif(not REALPAGES.is_dir(), reason="../shared/realpages not present")
def test_real_three_column_etm_index_reads_each_title_with_its_page() -> None:
    """00-02-index-b (tune truth, batch 5): the ETM's alphabetical index, title ..... page three
    times across. Rows were rebuilt across the gutters ('A/C Blower Controls 6413-0 Heated Seats')
    and the middle column's page references were cut off as a column of their own."""
    from ocr_real import real_page

    page = real_page("1990 BMW M3 Electrical Troubleshooting Manual/00-02-index-b.jpg")
    lines = page.text.splitlines()
    for row in ("Heated Seats 5200-0", "Ignition Key Warning 6131-0", "— Fuse 4 0670-6", "Power Windows 5133-0",
                "— Front Turn/Park 6314-0", "Injection Electronics S14 Engine 1364-0"):
        assert row in lines
    assert not any("6413-0 Heated" in ln or "6452-0 Horns" in ln for ln in lines)
    assert lines.index("Heated Seats 5200-0") > lines.index("— G200 0670-13")  # left column first
    assert not any("kept tesseract's order" in n for n in page.notes)
