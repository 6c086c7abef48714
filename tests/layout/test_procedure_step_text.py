"""Step text as extract_procedures builds it from the blocks of a page: the special-tool numbers on the
line under 'with Special Tools' stay in the step (not taken for a caption), tool numbers the OCR
read with a space lost are written as printed. Block texts as read from the realpages scans
(11 - Engine/11-58, 11-61, 31 - Front Axle/31-15, 18 - Exhaust System/18-07; printed text checked on the scans)."""

from __future__ import annotations

from manualtune.layout import extract_procedures
from manualtune.layout.procedures import _drop_caption_lines, _split_tool_numbers
from manualtune.records import BBox, Block, Provenance


def _blocks(file: str, heading: str, code: str, steps: list[str]) -> list[Block]:
    page_id = f"{file}#p1"

    def block(i: int, kind: str, text: str, meta: dict[str, str] | None = None) -> Block:
        return Block(block_id=f"{page_id}/b{i:03d}", page_id=page_id, kind=kind, order=i, text=text,
                     meta=meta or {}, source=Provenance(file=file, page=1, page_id=page_id,
                                                        bbox=BBox(x0=630, y0=100 + 100 * i, x1=1150, y1=150 + 100 * i)))

    return [block(0, "heading", heading, {"repair_code": code})] + [
        block(i + 1, "procedure_step", t) for i, t in enumerate(steps)]


def test_tool_numbers_under_special_tools_stay_in_the_step():
    # 11-58 prints 'Press in radial oil seal flush with Special Tools' / '11 1 273 and 11 1 271.'
    blocks = _blocks("11 - Engine/11-58.jpg", "1114141 REPLACING RADIAL OIL SEAL\nIN TIMING CASE COVER", "11 14 141", [
        "Remove pulley on crankshaft — see 11 21 120.\nLift out radial oil seal with a screwdriver.",
        "Lubricate sealing lip of radial oil seal with oil.\nPress in radial seal flush with Special Tools\n"
        "111273 and 111271",
    ])
    (proc,) = extract_procedures(blocks, [])
    step = proc.steps[1]
    assert step.text == ("Lubricate sealing lip of radial oil seal with oil. Press in radial seal flush with "
                         "Special Tools 11 1 273 and 11 1 271")
    assert step.special_tools == ["11 1 271", "11 1 273"]
    assert step.fact_ids == []  # tool numbers are no values


def test_caption_under_a_finished_line_is_still_dropped():
    # 18-07: the figure label 'Three Hole Flange Version' under the step is no step text
    assert _drop_caption_lines("Check seals, replacing if necessary.\nReplace self-locking nuts.\n"
                               "Tightening\nThree Hole Flange Version") == (
        "Check seals, replacing if necessary.\nReplace self-locking nuts.\nTightening")
    assert _drop_caption_lines("Pull off front case section with Special Tools\n23 1 460 and 33 1 301") == (
        "Pull off front case section with Special Tools\n23 1 460 and 33 1 301")


def test_glued_tool_numbers_written_as_printed():
    assert _split_tool_numbers("Pull off sprocket with Special Too! 11 2000.") == (
        "Pull off sprocket with Special Too! 11 2 000.")  # 11-61
    assert _split_tool_numbers("Compress coil spring with Special Tool 313111. important!") == (
        "Compress coil spring with Special Tool 31 3 111. important!")  # 31-15
    assert _split_tool_numbers("Unscrew self-locking nut with Special Tool 313 170. Installation:") == (
        "Unscrew self-locking nut with Special Tool 31 3 170. Installation:")  # 31-15
    # already as printed, another length, or no 'Special Tool' before it: left as read
    assert _split_tool_numbers("Drive out ball bearing with Special Tools 23 1 080 and 00 5 500.") == (
        "Drive out ball bearing with Special Tools 23 1 080 and 00 5 500.")
    assert _split_tool_numbers("Special Tool 1234567 and 12") == "Special Tool 1234567 and 12"
    assert _split_tool_numbers("Tightening torque 111273 Nm") == "Tightening torque 111273 Nm"
