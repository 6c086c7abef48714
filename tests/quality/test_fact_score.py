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
