"""Page labels read from running headers/footers end up on every block (they feed the citations)."""

from __future__ import annotations

from pathlib import Path

import pytest

from manualtune.layout import build_blocks
from manualtune.layout.config import LayoutConfig
from manualtune.layout.patterns import label_against_file, page_label_in_edge
from manualtune.records import PageOCR

RES = Path(__file__).resolve().parents[1] / "resources" / "layout"


@pytest.mark.parametrize(
    ("line", "label"),
    [
        ("Corvane 240 Repair Manual 21-3", "21-3"),
        ("21 Clutch 21-3", "21-3"),
        ("11 - 19 Engine", "11 - 19"),
        ("6120-1 Charging circuit", "6120-1"),
        ("AZD11-16.frb 20/10/97", None),  # a file id and a date are not page labels
        ("11 24 030 Connecting rods", None),  # a repair operation code is not a page label
    ],
)
def test_page_label_in_edge(line, label):
    assert page_label_in_edge(line) == label


@pytest.mark.parametrize(
    ("fixture", "label"),
    [("sample_wiring_6120-1.ocr.json", "6120-1"), ("sample_trouble_12-40.ocr.json", "12-40"),
     ("proc_11-64.ocr.json", "11-64")],
)
def test_every_block_carries_the_printed_page_label(fixture, label):
    page = PageOCR.model_validate_json((RES / fixture).read_text())
    blocks = build_blocks(page, LayoutConfig())
    assert blocks
    assert {b.page_label for b in blocks} == {label}
    body = [b for b in blocks if b.kind not in ("header", "footer")]
    assert all(label not in b.text.split() for b in body)


@pytest.mark.parametrize(
    ("label", "file", "kept"),
    [
        ("51-313", "51 - Body Equipment/51-313.jpg", "51-313"),
        ("41-001", "41 - Body/41-001.jpg", "41-001"),
        ("35-5", "35 - Pedals/35-05.jpg", "35-5"),
        ("35-51", "35 - Pedals/35-05_1.jpg", "35-5.1"),  # the sub-page's dot lost
        ("35-5.1", "35 - Pedals/35-05_1.jpg", "35-5.1"),
        ("23-168", "23 - Manual Transmission/23-168a.jpg", "23-168"),
        ("91-313", "51 - Body Equipment/51-313.jpg", None),  # a misread: dropped
        ("6421-2", "ETM/6412-02.jpg", None),
        ("21-3", "manual/scan_0001.jpg", "21-3"),  # the file name is no label: nothing to check
        (None, "51 - Body Equipment/51-313.jpg", None),
    ],
)
def test_label_against_file(label, file, kept):
    assert label_against_file(label, file) == kept


def test_pages_in_printed_order():
    from manualtune.layout.patterns import page_sequence_key

    ids = ["23 - Manual Transmission/23-170.jpg#p1@b", "23 - Manual Transmission/23-17.jpg#p1@a",
           "23 - Manual Transmission/23-169.jpg#p1@c", "23 - Manual Transmission/23-168a.jpg#p1@d",
           "23 - Manual Transmission/23-168.jpg#p1@e", "35 - Pedals/35-06.jpg#p1@g", "35 - Pedals/35-05_1.jpg#p1@f",
           "35 - Pedals/35-05.jpg#p1@h", "torque.pdf#p10@i", "torque.pdf#p9@j"]
    assert [i.split("#")[0].rsplit("/", 1)[-1] + "#" + i.split("#p")[1].split("@")[0] for i in sorted(ids, key=page_sequence_key)] == [
        "23-17.jpg#1", "23-168.jpg#1", "23-168a.jpg#1", "23-169.jpg#1", "23-170.jpg#1",
        "35-05.jpg#1", "35-05_1.jpg#1", "35-06.jpg#1", "torque.pdf#9", "torque.pdf#10"]
