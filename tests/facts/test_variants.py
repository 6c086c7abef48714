

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
    assert listed.condition == "E32/E34/E38" and not listed.needs_review and "'ESt'" in listed.review_reason
    assert kept == ok
    assert unread.needs_review and unread.condition == "E36 M41"
