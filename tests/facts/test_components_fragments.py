"""The fragment rules of facts/fragments.py: a running-text phrase that is a piece of an instruction or a
clause names no part; a real part name is no fragment."""

from __future__ import annotations

import pytest

from manualtune.facts import components, fragments
from manualtune.facts.fragments import fragment_problem


def test_fragment_rules_ride_on_the_components_table() -> None:
    names = [n for n, _, _ in fragments.RULES]
    assert len(names) == len(set(names))
    assert [r[0] for r in components.RULES[-len(names):]] == names
    for name in names:
        assert f"``{name}``" in (fragments.__doc__ or ""), f"fragments docstring does not list {name}"
        assert f"``{name}``" in (components.__doc__ or ""), f"components docstring does not point to {name}"


@pytest.mark.parametrize(("phrase", "problem"), [
    ("press on firmly", "instruction fragment"),
    ("carefully until they fit tight and then loosen", "instruction fragment"),
    ("increase the pressure", "instruction fragment"),
    ("size that mating surface overlaps by distance", "clause fragment"),
    ("switched off with a flap opening of <", "cut phrase"),
    ("continuous cracks with a length of more than", "cut phrase"),
    ("during the first 1,000 km", "cut phrase"),
    ("holes from a size", "cut phrase"),
    ("performed with engine power in fourth gear", "clause fragment"),
    ("with piston rods run out at room temperature", "clause fragment"),
    ("inert gas spot welding or, when not accessible", "clause fragment"),
])
def test_fragments_name_no_part(phrase: str, problem: str) -> None:
    assert fragment_problem(phrase) == problem
    assert components.component_problem(phrase) == problem


@pytest.mark.parametrize("phrase", [
    "conrod bolts", "pressure plate", "fill plug", "turn signal", "heated oxygen sensor", "threaded bolt",
    "piston rods", "tire pressure", "upper, lower control arm", "flap opening",
])
def test_part_names_are_no_fragments(phrase: str) -> None:
    assert fragment_problem(phrase) is None


#: (rule, texts the pattern must find, texts it must not find)
RECOVERY_CASES = {
    "change_target": (["Reduce the residual cement to about ", "Increase the pressure to "],
                      ["Reduce the residual cement by ", "Reduce the residual cement to about 0.5"]),
    "there_clearance": (["gears must be adjusted with shim (1), whereby there must still be a play of ",
                         "so that there is a clearance of approx. "],
                        ["there must still be a play of 0.01", "whereby the play is "]),
    "there_is_still": (["stop of pedal base that there is still ", "so that there is "], ["there is still a play"]),
    "clearance_on": ([' (0.020") play on the full throttle stop of the throttle valve with the',
                      " play on full throttle stop of the throttle valve in kickdown position {pedal"],
                     [" play. Lock with", " (0.020\") between the stops"]),
}


def test_recovery_table() -> None:
    assert {n for n, _, _ in fragments.RECOVERIES} == set(RECOVERY_CASES)
    for name, rx, purpose in fragments.RECOVERIES:
        assert purpose and f"``{name}``" in (fragments.__doc__ or "")
        hits, misses = RECOVERY_CASES[name]
        for t in hits:
            assert rx.search(t), f"{name} should find {t!r}"
        for t in misses:
            assert not rx.search(t), f"{name} should not find {t!r}"


def _named(component: str, text: str, value: str) -> tuple[str, str | None]:
    return components.name_component(component, text, text.index(value), None)


@pytest.mark.parametrize(("component", "text", "value", "want"), [
    # 51-314: the object of a change verb with 'to' is set to the value
    ("Reduce the residual cement", "Reduce the residual cement to about 0.5 mm (0.020\") with the knife*, if the "
     "window can be used again.", "0.5 mm", "residual cement"),
    # 31-35: the play of the main clause's subject
    ("shim, whereby there must still be a play", "New differential gears must be adjusted with shim (1), whereby "
     "there must still be a play of 0.01 to 0.07 mm (0.0004 ... 0.0028\").", "0.01 to", "differential gear play"),
    # 35-10: the play word printed after the value names the part it is on
    ("stop of pedal base that there is still", "4. Turn adjusting screw on full throttle stop of pedal base that "
     "there is still 0.5 mm (0.020\") play on the full throttle stop of the throttle valve with the accelerator "
     "pedal plate in full throttle position.", "0.5 mm", "play on full throttle stop of the throttle valve"),
    ("full throttle stop that there is still", "5. Adjust full throttle stop that there is still 0.5 mm (0.020) "
     "play on full throttle stop of the throttle valve in kickdown position {pedal pressed beyond full throttle "
     "stop).", "0.5 mm", "play on full throttle stop of the throttle valve in kickdown position"),
    # 12-107: 'for another 3 sec.' is a time span, no object of 'remains activated'
    ("Motronic master relay remains activated for another", "The holding circuit makes sure that the Motronic "
     "master relay remains activated for another 3 sec. after switching off", "3 sec", "Motronic master relay"),
])
def test_fragments_that_still_name_their_part(component: str, text: str, value: str, want: str) -> None:
    assert _named(component, text, value) == (want, None)


@pytest.mark.parametrize(("component", "text", "value"), [
    # a generic object of a change verb stays in review
    ("Increase the pressure", "Increase the pressure to 3.3 bar (47 psi) max.", "3.3 bar"),
    ("flange correctly, increase the inflation pressure", "If the bead does not seat on the flange correctly, "
     "increase the inflation pressure to 4.0 bar", "4.0 bar"),
    # 'reduce ... by': the change, not the target
    ("Reduce the residual cement by", "Reduce the residual cement by 0.5 mm", "0.5 mm"),
    # an imperative main clause has no subject to own the play
    ("shim, whereby there must still be a play", "Adjust with shim, whereby there must still be a play of "
     "0.01 mm", "0.01 mm"),
    # the play word after the value is missing
    ("stop that there is still", "Adjust stop that there is still 0.5 mm (0.020\") between the stops", "0.5 mm"),
    ("carefully until they fit tight and then loosen", "Screw in carefully until they fit tight and then loosen "
     "1.5 turns", "1.5 turns"),
])
def test_real_fragments_stay_in_review(component: str, text: str, value: str) -> None:
    assert _named(component, text, value)[1] is not None
