"""Validation of reviewer edits: one row per accepted / refused input."""

from __future__ import annotations

import pytest

from manualtune.review.edits import EditError, edited_fact, parse_value, validate_fields

from .conftest import tiny_facts


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("46", ("46", None)),
        ("0,25", ("0.25", None)),
        (".75", ("0.75", None)),
        ("-30", ("-30", None)),
        ("0.20-0.30", ("0.20", "0.30")),
        ("0.20 – 0.30", ("0.20", "0.30")),
        ("13.8 to 14.4", ("13.8", "14.4")),
        ("30-20", None),
        ("4S", None),
        ("", None),
        ("45 Nm", None),
    ],
)
def test_parse_value(text, parsed):
    assert parse_value(text) == parsed


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"value": "46"}, {}),
        ({"unit": "N·m"}, {}),
        ({"unit": "ft. lbs"}, {}),
        ({"unit": "mm"}, {"unit"}),
        ({"unit": "furlongs"}, {"unit"}),
        ({"unit": "blorp"}, {"unit"}),
        ({"unit": ""}, {"unit"}),
        ({"value": "40", "value_max": "45"}, {}),
        ({"value": "40", "value_max": "35"}, {"value_max"}),
        ({"value": "40-45", "value_max": "50"}, {"value_max"}),
        ({"tolerance": "±0.05"}, {}),
        ({"tolerance": "a bit"}, {"tolerance"}),
        ({"component": " "}, {"component"}),
        ({"colour": "red"}, {"colour"}),
        ({"condition": "x" * 301}, {"condition"}),
    ],
)
def test_validate_fields(fields, errors):
    fact = tiny_facts()[0]  # torque, 45 Nm
    if not errors:
        assert set(validate_fields(fields, fact)) == set(fields)
        return
    with pytest.raises(EditError) as e:
        validate_fields(fields, fact)
    assert set(e.value.errors) == errors


def test_edited_fact_keeps_id_and_provenance():
    fact = tiny_facts()[0]
    new = edited_fact(fact, validate_fields({"value": "40-45", "unit": "N·m"}, fact), "review edit: scan")
    assert (new.value, new.value_max, new.value_printed) == ("40", "45", "40-45")
    assert (new.unit, new.unit_printed) == ("Nm", "N·m")
    assert new.fact_id == fact.fact_id and new.source == fact.source and new.text == fact.text
    assert new.needs_review is False and new.review_reason == "review edit: scan"
