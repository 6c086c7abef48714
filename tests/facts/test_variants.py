

def test_garbled_model_codes_in_a_condition_need_review():
    from manualtune.facts.variants import flag_garbled_codes, garbled_model_codes
    from manualtune.records import Provenance, SpecFact

    # 00 - Torque Specs as read: 'E31' / 'E32' with a letter for a digit, 'M8' read 'ms'
    assert garbled_model_codes("ESt/E36/E32/E34") == ["ESt"]
    assert garbled_model_codes("ES2/E34/E31/E36; M6") == ["ES2"]
    assert garbled_model_codes("E36 M41; ms") == ["ms"]
    assert garbled_model_codes("E36/E31RL") == [] and garbled_model_codes("E31LL/E38") == []
    assert garbled_model_codes("ES") == []  # not in a list of codes: no code at all
    src = Provenance(file="00 - Torque Specs/61-04.jpg", page=1)
    f = SpecFact(fact_id="f", component="bracket to body", quantity="torque", value="15", unit="Nm",
                 value_printed="15", unit_printed="Nm", condition="ESt/E32/E34/E38", text="15", source=src)
    ok = f.model_copy(update={"fact_id": "g", "condition": "E31/E32/E34/E38"})
    screw = f.model_copy(update={"fact_id": "h", "condition": "E36 M41; ms"})
    listed, kept, unread = flag_garbled_codes([f, ok, screw])
    # 'E31' is printed cleanly on another row: the one reading of 'ESt' among the build's codes
    assert listed.condition == "E31/E32/E34/E38" and not listed.needs_review and "'ESt'" in listed.review_reason
    assert kept == ok
    assert unread.needs_review and unread.condition == "E36 M41"
    listed_later, _ = flag_garbled_codes([f, ok.model_copy(update={"condition": "E36/E31"})])
    assert listed_later.condition == "E31/E32/E34/E38"  # a code read cleanly after a '/' counts too
    alone, = flag_garbled_codes([f])  # no row prints E31: the garbled code leaves the list
    assert alone.condition == "E32/E34/E38" and "unreadable" in alone.review_reason


def test_read_back_code():
    from manualtune.facts.variants import read_back_code

    known = frozenset({"E30", "E31", "E32", "E34", "E36", "M52"})
    assert read_back_code("ESt", known) == "E31" and read_back_code("ES2", known) == "E32"
    assert read_back_code("ES2", known | {"E52"}) is None  # two readings: never guessed
    assert read_back_code("EX2", known) is None  # 'X' stands for no digit
