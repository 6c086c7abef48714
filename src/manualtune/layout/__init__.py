"""manualtune.layout stage family: OCR words -> typed blocks (reading order, tables, headers) -> procedures."""

from manualtune.layout.blocks import build_blocks
from manualtune.layout.config import LayoutConfig
from manualtune.layout.procedures import extract_procedures
from manualtune.layout.tables import link_continued_tables

VERSION = "layout-18"  # 18: a step that repeats an earlier one keeps the captions that tell them apart; 17: a faint sub-heading over a line opening with a faintly read word is the label; 16: a numbered parts list on a continued page does not end the job; 15: capitals beside the wires of a wiring page are wiring text (diagram labels), not headings; 14: a faint word with footnote marks kept (socket**.); 13: a nominal-value cell scored by its digits, with its apart unit words on their own (with_units_conf), also where a row merges the column, signed ranges and rate units; 12: an "Ω" after a number kept whatever its confidence; 11: a version heading ("1988 Models On:") is a label of the job above it, also at the top of its next page; 10: a page label checked against a file name that is a label; 9: sub-pages (35-05_1) and lettered pages (11-61a, 41-102c) continue a job; 8: faint labels with the colon read as "." or lost; 7: a column-foot footnote does not end a continued job; 5: tool numbers under "Special Tools" kept in the step, glued tool numbers split; 6: faint sub-heading labels, faint word closing a one-word line

__all__ = ["VERSION", "LayoutConfig", "build_blocks", "extract_procedures", "link_continued_tables"]
