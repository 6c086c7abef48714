from manualtune.facts.conflicts import find_conflicts, normalise_component
from manualtune.records import Provenance, SpecFact


def fact(fid, value, variant, file, component="Conrod bolts", unit="Nm", condition=None, **kw):
    return SpecFact(
        fact_id=fid, component=component, quantity="torque" if unit == "Nm" else "pressure", value=value,
        unit=unit, value_printed=value, unit_printed=unit, variant=variant, condition=condition,
        text=f"{component} {value} {unit}", source=Provenance(file=file, page=1), **kw)


def test_same_variant_different_values_across_sources_is_a_conflict():
    facts = [fact("a", "45", "M3", "m3_manual.jpg"), fact("b", "50", "M3", "techspec.html",
                                                             component="Connecting rod (conrod) bolts")]
    conflicts = find_conflicts(facts)
    assert len(conflicts) == 1
    c = conflicts[0]
    assert c.fact_ids == ["b", "a"] or c.fact_ids == ["a", "b"]
    assert sorted(c.values) == ["45 Nm", "50 Nm"]
    assert {s.file for s in c.sources} == {"m3_manual.jpg", "techspec.html"}
    assert c.key.startswith("connecting rod bolt|torque|m3|")


def test_different_variants_or_same_values_are_not_conflicts():
    assert find_conflicts([fact("a", "45", "M3", "a.jpg"), fact("b", "50", "320is", "b.jpg")]) == []
    assert find_conflicts([fact("a", "45", "M3", "a.jpg"), fact("b", "45.0", "M3", "b.jpg")]) == []
    # one page, two stages: not a conflict
    assert find_conflicts([fact("a", "10", "S14", "a.jpg", condition="step 1"),
                           fact("b", "30", "S14", "a.jpg", condition="step 2")]) == []
    # different qualifiers (hot/cold) are different specs
    assert find_conflicts([fact("a", "45", "M3", "a.jpg", condition="cold"),
                           fact("b", "50", "M3", "b.jpg", condition="hot")]) == []


def test_exact_unit_conversion_is_not_a_conflict_and_derived_ignored():
    facts = [fact("a", "3", "M3", "a.jpg", component="Fuel pressure", unit="bar"),
             fact("b", "300", "M3", "b.jpg", component="Fuel pressure", unit="kPa"),
             fact("c", "9", "M3", "c.jpg", component="Fuel pressure", unit="bar", derived=True, derived_from="a")]
    assert find_conflicts(facts) == []
    facts.append(fact("d", "2.5", "M3", "d.jpg", component="Fuel pressure", unit="bar"))
    assert [sorted(c.fact_ids) for c in find_conflicts(facts)] == [["a", "b", "d"]]


def test_normalise_component():
    assert normalise_component("Connecting rod (conrod) bolts") == normalise_component("conrod bolts")
