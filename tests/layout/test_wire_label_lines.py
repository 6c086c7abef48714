"""layout.blocks, wiring pages: a wire label that opens a line of labels ('.5 BR' left of '.75 BR') is a
label, not side noise (realpages ETM 0670-14 (tune), as read: '.5 BR .5 BR .5 BR .5 BR .5 BR .75 BR' on
one OCR line kept only '.75 BR'); elsewhere a short leading segment stays side noise."""

from __future__ import annotations

from manualtune.layout import LayoutConfig
from manualtune.layout.blocks import _body_lines
from manualtune.records import BBox, Word

H = 30


def _seg(x: int, y: int, texts: list[str]) -> list[Word]:
    out = []
    for t in texts:
        w = 18 * len(t)
        out.append(Word(text=t, bbox=BBox(x0=x, y0=y, x1=x + w, y1=y + H), conf=97.0))
        x += w + 15
    return out


def _words() -> list[Word]:
    # labels printed far apart on one row: each its own segment
    return _seg(100, 500, [".5", "BR"]) + _seg(700, 500, [".5", "BR"]) + _seg(1300, 500, [".75", "BR"])


def test_leading_wire_labels_of_a_wiring_line_are_kept() -> None:
    lines = _body_lines(_words(), None, 2000, LayoutConfig(), wiring=True)
    assert [ln.text for ln in lines] == [".5 BR .5 BR .75 BR"]


def test_leading_short_segments_stay_side_noise_off_wiring_pages() -> None:
    lines = _body_lines(_words(), None, 2000, LayoutConfig())
    assert [ln.text for ln in lines] == [".75 BR"]
