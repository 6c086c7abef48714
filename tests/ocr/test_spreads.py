"""Two-page spreads (manualtune.ocr.spreads): a scan of an open booklet is read page by page, and
nothing that is one page (a heading read across the middle, a photo there, a table ruled across it)
is taken for a spread. The real case is Bosch Motronic 01-02 / 03-04 (tests/realtruth: CER 0.592 ->
0.173 and 0.767 -> 0.232 against plain tesseract's 0.301 / 0.250)."""

from __future__ import annotations

from manualtune.ocr.reading_order import order_lines
from manualtune.ocr.spreads import spread_fold
from manualtune.records import BBox, Line, Ruling, Word

W, H = 2400, 1750


def _line(text: str, x0: int, y0: int, block: int = 0, cw: int = 14, h: int = 24) -> Line:
    words, x = [], x0
    for t in text.split():
        words.append(Word(text=t, bbox=BBox(x0=x, y0=y0, x1=x + cw * len(t), y1=y0 + h), conf=95.0))
        x += cw * (len(t) + 1)
    return Line(text=text, bbox=BBox.enclosing([w.bbox for w in words]), conf=95.0, words=words, block_num=block)


def _left() -> list[Line]:
    # J01: a 'key : value' head (its gap inside the page looks like a gutter) and an index
    rows = [("Istruzione per la ricerca", ": BMW-5006"), ("Sistema BOSCH", ": Motronic ML 3.1"),
            ("Marca della vettura", ": BMW"), ("Microscheda di base", ": BMW-509 / Cat")]
    out = []
    for i, (k, v) in enumerate(rows):
        out += [_line(k, 120, 110 + 60 * i, block=0), _line(v, 760, 110 + 60 * i, block=1)]
    index = ["Particolarita 02", "Misure di sicurezza 03", "Schema per la ricerca 04", "Valori nominali 15",
             "Schema dei collegamenti 19", "Posizione di montaggio 23"]
    out += [_line(t, 120, 560 + 150 * i, block=2) for i, t in enumerate(index)]
    return out + [_line("J01", 120, 1600, block=3)]


def _right() -> list[Line]:
    text = ["PARTICOLARITA", "Questa istruzione per la ricerca dei guasti vale per i seguenti", "modelli di autovetture",
            "BMW M3 con 2,3 l a partire da 8.86", "Sistema Motronic ML 3.1 spina a 35 poli",
            "Regolazione riempimento al minimo", "Correzione altimetrica", "Regolazione Lambda con uscita",
            "Spurgo aria serbatoio con serbatoio", "Codificazione tramite mors. 10 e mors. 28"]
    return [_line(t, 1300, 110 + 140 * i, block=4 + i) for i, t in enumerate(text)] + [_line("J02", 1300, 1600, block=20)]


def _interleaved() -> list[Line]:
    return sorted(_left() + _right(), key=lambda ln: (ln.bbox.y0, ln.bbox.x0))


def test_the_fold_of_a_spread_is_found_between_the_pages() -> None:
    fold = spread_fold(_interleaved(), [], W, H)
    left_end = max(ln.bbox.x1 for ln in _left())
    assert fold is not None and left_end < fold < 1300


def test_a_spread_is_read_left_page_first_each_page_as_a_page() -> None:
    _, text = order_lines(_interleaved(), [], H, W)
    lines = text.splitlines()
    assert lines.index("J01") < lines.index("PARTICOLARITA")  # the whole left page before the right one
    left_words = sorted(w for t in lines[: lines.index("J01") + 1] for w in t.split())
    assert left_words == sorted(w.text for ln in _left() for w in ln.words)
    assert lines[lines.index("J01") + 1:] == [ln.text for ln in _right()]
    assert "Sistema BOSCH : Motronic ML 3.1" in lines  # a row of its own page, never of the right page


def test_a_frame_round_both_pages_is_no_table_across_the_fold() -> None:
    frame = [Ruling(orientation="h", bbox=BBox(x0=40, y0=60, x1=2360, y1=63)),
             Ruling(orientation="h", bbox=BBox(x0=40, y0=1690, x1=2360, y1=1693)),
             Ruling(orientation="v", bbox=BBox(x0=40, y0=60, x1=43, y1=1693)),
             Ruling(orientation="v", bbox=BBox(x0=2357, y0=60, x1=2360, y1=1693))]
    assert spread_fold(_interleaved(), frame, W, H) is not None
    _, text = order_lines(_interleaved(), frame, H, W)
    assert text.splitlines()[-1] == "J02"


def test_a_line_read_across_the_middle_makes_it_one_page() -> None:
    heading = _line("13 - 622", 1100, 40, block=30, cw=40)  # a page label centred over the middle
    assert spread_fold(_interleaved() + [heading], [], W, H) is None


def test_a_ruling_or_a_photo_across_the_middle_makes_it_one_page() -> None:
    table_rule = Ruling(orientation="h", bbox=BBox(x0=700, y0=900, x1=1700, y1=903))
    assert spread_fold(_interleaved(), [table_rule], W, H) is None
    photo = BBox(x0=1000, y0=300, x1=1500, y1=800)
    assert spread_fold(_interleaved(), [], W, H, photos=[photo]) is None


def test_a_table_of_labels_and_values_is_no_spread() -> None:
    # devdata torque_11-01's shape: long labels left, 'Nm' values in narrow columns right of a wide gap
    labels = [_line(f"Main bearing screws replace wash and oil {i}", 100, 100 + 80 * i) for i in range(18)]
    values = [_line(f"{20 + i} Nm", 1500, 100 + 80 * i, block=1) for i in range(18)]
    assert spread_fold(labels + values, [], W, H) is None


def test_one_page_of_text_is_no_spread() -> None:
    only_left = [ln for ln in _interleaved() if ln.bbox.x0 < 1200]
    assert spread_fold(only_left, [], W, H) is None
    # a gap of 2.5 % of the width between two columns of one page is a gutter, not a fold (min_gap_frac 5 %)
    narrow = [_line(ln.text, ln.bbox.x0 - 240, ln.bbox.y0, ln.block_num) if ln.bbox.x0 >= 1200 else ln
              for ln in _interleaved()]
    assert spread_fold(narrow, [], W, H) is None
