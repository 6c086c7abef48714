import json

from manualtune.quality.fact_score import html_row_items, score_facts, truth_key
from manualtune.records import Provenance, SpecFact


def fact(file, value, unit, value_max=None, derived=False):
    return SpecFact(fact_id=f"{file}{value}{unit}{derived}", component="x", quantity="other", value=value,
                    value_max=value_max, unit=unit, value_printed=value, unit_printed=unit, text="t",
                    source=Provenance(file=file, page=1), derived=derived)


def write_truth(d):
    (d / "a.truth.json").write_text(json.dumps({"file": "a.jpg", "facts": [
        {"value": "55", "unit": "Nm"}, {"value": "0.024-0.064", "unit": "mm"}, {"value": "0.75", "unit": ""},
        {"value": "5", "unit": "Nm"}, {"value": "5", "unit": "Nm"}, {"value": "4", "unit": "AMP"}]}))
    (d / "b.truth.json").write_text(json.dumps({"file": "sheet.html", "rows": [
        {"value": "240 Nm @ 4750 rpm", "label_context": "Max Engine Torque:"},
        {"value": "0.28-0.33 mm", "label_context": "Valve clearance:"},
        {"value": "Bosch X 5 DTC", "label_context": "Spark plugs:"},
        {"value": "3.25", "label_context": "Axle ratio:"}]}))


def test_score_facts_precision_recall_and_lists(tmp_path):
    write_truth(tmp_path)
    facts = [
        fact("scans/a.jpg", "55.0", "Nm"),             # matches 55 Nm (path + number normalised)
        fact("a.jpg", "0.024", "mm", "0.064"),         # range
        fact("a.jpg", ".75", ""),                      # wire label
        fact("a.jpg", "5", "Nm"),                      # one of two 5 Nm
        fact("a.jpg", "55", "mm"),                     # mm is not Nm: false
        fact("a.jpg", "4", "A"),                       # AMP == A
        fact("a.jpg", "4", "A", derived=True),         # derived: not scored
        fact("other.jpg", "1", "Nm"),                  # no truth page: not scored
        fact("sheet.html", "240", "Nm"), fact("sheet.html", "0.28", "mm", "0.33"), fact("sheet.html", "3.25", ""),
    ]
    s = score_facts(facts, tmp_path)
    pages = {p.file: p for p in s.pages}
    assert (pages["a.jpg"].truth, pages["a.jpg"].predicted, pages["a.jpg"].matched) == (6, 6, 5)
    assert (pages["sheet.html"].truth, pages["sheet.html"].matched) == (4, 3)
    assert s.matched == 8 and s.predicted == 9 and s.truth == 10
    assert abs(s.precision - 8 / 9) < 1e-3 and abs(s.recall - 0.8) < 1e-3
    assert [(f["value"], f["unit"]) for f in s.false_facts] == [("55", "mm")]
    assert sorted((m["file"], m["value"], m["unit"]) for m in s.misses) == [
        ("a.jpg", "5", "Nm"), ("sheet.html", "4750", "rpm")]


def test_truth_key_and_html_items():
    assert truth_key("0.024-0.064", "mm") == ("0.024", "0.064", "mm")
    assert truth_key(".75", "") == ("0.75", "", "")
    assert html_row_items("93.4 x 84.0 mm") == [("93.4", "", "mm"), ("84", "", "mm")]
    assert html_row_items("SAE 10W40 15W40") == []
    assert html_row_items("875 gr. +/- 25 gr. (1.93 +/- 0.05 lbs)") == [("875", "", "g")]
    assert html_row_items("5.8", "Fuel consumption (DIN litres/100 km):") == [("5.8", "", "l/100 km")]


def test_pages_are_matched_by_relative_path_not_file_name(tmp_path):
    from manualtune.quality.fact_score import page_of

    files = ["00 - Torque Specs/11-25.jpg", "11 - Engine/11-25.jpg", "plain.jpg"]
    assert page_of("00 - Torque Specs/11-25.jpg", files) == "00 - Torque Specs/11-25.jpg"
    assert page_of("11 - Engine/11-25.jpg", files) == "11 - Engine/11-25.jpg"
    assert page_of("realpages/11 - Engine/11-25.jpg", files) == "11 - Engine/11-25.jpg"
    assert page_of("12 - Other/11-25.jpg", files) is None  # same file name, another folder
    assert page_of("scans/plain.jpg", files) == "plain.jpg"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "11-25.truth.json").write_text(json.dumps(
        {"file": "00 - Torque Specs/11-25.jpg", "facts": [{"value": "22", "unit": "Nm"}]}))
    (tmp_path / "b" / "11-25.truth.json").write_text(json.dumps(
        {"file": "11 - Engine/11-25.jpg", "facts": [{"value": "0.5", "unit": "mm"}]}))
    s = score_facts([fact("00 - Torque Specs/11-25.jpg", "22", "Nm"), fact("11 - Engine/11-25.jpg", "22", "Nm")],
                    tmp_path)
    pages = {p.file: (p.predicted, p.matched) for p in s.pages}
    assert pages == {"00 - Torque Specs/11-25.jpg": (1, 1), "11 - Engine/11-25.jpg": (1, 0)}


def test_trusted_only_and_absent_values(tmp_path):
    from manualtune.quality.fact_score import absent_values

    (tmp_path / "a.truth.json").write_text(json.dumps({
        "file": "a.jpg", "source": {"bytes": 62201, "sha256": "91b0"},
        "facts": [{"value": "51", "unit": "Nm", "text": "51 Nm"}],
        "transcript": ["Heat to 200 ... 230 °C", "Special Tool 11 2 160"]}))
    wrong = fact("a.jpg", "1", "Nm").model_copy(update={"needs_review": True})
    facts = [fact("a.jpg", "51", "Nm"), wrong, fact("a.jpg", "200", "°C", "230"), fact("a.jpg", "62201", "mm")]
    s = score_facts(facts, tmp_path, trusted_only=True)
    assert (s.predicted, s.matched, s.review_left_out) == (3, 1, 1)
    assert [(d["value"], d["unit"]) for d in absent_values(facts, tmp_path)] == [("62201", "mm")]
    assert [(d["value"]) for d in absent_values(facts, tmp_path, trusted_only=False)] == ["1", "62201"]
    # a signed value is printed only with its sign: '-5...+5 °' holds -5 and 5, '10 - 15' the 15 of a range
    (tmp_path / "a.truth.json").write_text(json.dumps({"file": "a.jpg", "transcript": ["-5...+5 °", "2...3 Ω"]}))
    signed = [fact("a.jpg", "-5", "°", "5"), fact("a.jpg", "-2", "Ω"), fact("a.jpg", "2", "Ω", "3")]
    assert [(d["value"], d["value_max"]) for d in absent_values(signed, tmp_path)] == [("-2", None)]


def test_a_fact_printed_in_several_documents_counts_on_each_page(tmp_path):
    (tmp_path / "a.truth.json").write_text(json.dumps({"file": "scan.jpg", "facts": [{"value": "100", "unit": "°"}]}))
    merged = fact("manual.pdf", "100", "°").model_copy(update={"also_in": [Provenance(file="scan.jpg", page=1)]})
    s = score_facts([merged], tmp_path)
    assert (s.predicted, s.matched, s.recall) == (1, 1, 1.0)
