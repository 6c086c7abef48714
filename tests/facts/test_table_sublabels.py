"""Table rows whose label names a terminal of the item above ('Kl. D+'), thread and grade read
together ('M1488'), and a rise to '0' (the OCR's reading of '∞'): rows as the OCR of the real
torque pages 12-7 and 00-7 delivered them."""

from __future__ import annotations

from facts_fixtures import row, table_block

from manualtune.facts.config import FactsConfig
from manualtune.facts.specs import extract_facts
from manualtune.facts.tables import terminal_label
from manualtune.facts.values import parse_spec_text

SEC = "12 31 Alternator with Drive and Mounting Parts"


def _alternator_rows():
    return [
        row("Engine Electrical System", "Type", "Screw", "Dimension", "Unit", header=True),
        row("1AZ Wires to alternator", "", "", "", "", section=SEC),
        row("KI. D+", "M10/M20", "", "5", "Nm (ft. Ibs.)", section=SEC),
        row("", "Allothers", "M6", "7", "Nm (ft. Ibs.)", section=SEC),
        row("Ki. Be", "$38 B 38", "", "8", "Nm (ft. Ibs.)", section=SEC),
        row("", "Allothers", "M8", "13", "Nm (ft. Ibs.)", section=SEC),
        row("Pulley", "All", "", "45", "Nm (ft. Ibs.)", section=SEC),
    ]


def test_terminal_sub_row_names_its_terminal_and_carries_to_rows_below():
    facts = {f.value: f for f in extract_facts([table_block(_alternator_rows())], FactsConfig(derive_conversions=False))}
    d5, d7 = facts["5"], facts["7"]
    assert d5.component == "Wires to alternator" and d5.condition.startswith("Kl. D+") and not d5.needs_review
    assert d7.condition.startswith("Kl. D+") and "M6" in d7.condition and not d7.needs_review
    # the Type cell prints 'All others' (by eye); the OCR glued it: split, with an audit note (rule glued_words)
    assert d7.condition == "Kl. D+; All others; M6" and "'Allothers' read as 'All others'" in d7.review_reason
    # 'Ki. Be' is 'Kl. B+' with the '+' lost: the rows under it are never trusted as the bare item
    assert facts["8"].needs_review and facts["13"].needs_review
    assert facts["45"].component == "Pulley" and "Kl." not in (facts["45"].condition or "")
    assert not facts["45"].needs_review


def test_terminal_label_reading():
    assert terminal_label("KI. D+") == "Kl. D+"
    assert terminal_label("B+") == "B+"
    assert terminal_label("Ki. Be") is None and terminal_label("All others") is None


def test_glued_grade_is_repaired_only_when_the_table_prints_the_thread():
    sec = "00 00 M14 and M14x1.5 - maximum tightening torques acc. to BMW N 600 02.0"
    rows = [
        row("General Instructions", "Type", "Screw", "Dimension", "Unit", header=True),
        row("M14 thread", "", "M1488", "130", "Nm (ft. Ibs.)", section=sec),
        row("", "", "M14 10.9", "180", "Nm (ft. Ibs.)", section=sec),
        row("M16 thread", "", "M1688", "150", "Nm (ft. Ibs.)", section=sec),
    ]
    facts = {f.value: f for f in extract_facts([table_block(rows)], FactsConfig(derive_conversions=False))}
    assert facts["130"].condition == "M14 8.8" and not facts["130"].needs_review
    assert facts["180"].condition == "M14 10.9"
    assert facts["150"].needs_review  # no 'M16 <grade>' cell confirms the reading


def test_rise_to_zero_needs_review():
    vals = parse_spec_text("the resistance should rise immediately to 0 ohms. Resistance must drop again to approximately 0 ohm")
    assert [v.value for v in vals] == ["0", "0"]
    assert vals[0].review and "∞" in vals[0].review
    assert vals[1].review is None
    assert parse_spec_text("Pressure rises to 3.5 bar")[0].review is None
