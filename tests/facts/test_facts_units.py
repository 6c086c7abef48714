from decimal import Decimal

from manualtune.facts.units import (
    PRINTED,
    canonical_unit,
    convert_exact,
    dimensionality,
    lookup_unit,
    normalise_number,
    same_dimensionality,
    unit_registry,
)


def test_mm_and_nm_never_confused():
    assert lookup_unit("mm").canonical == "mm"
    assert lookup_unit("Nm").canonical == "Nm"
    assert not same_dimensionality("mm", "Nm")
    # case matters for these two: 'MM' / 'nm' are not silently mapped to either
    assert lookup_unit("nm") is None
    assert canonical_unit("mm²") == "mm²"


# "ft lbs" is pound-force, "U/min" is revolutions, "° C" is a temperature, "amps" is amperes
PINT_READS_OTHERWISE = {"U/min", "amps", "° C", "deg C", "° F"}


def test_printed_spelling_matches_pint_dimensionality():
    # where pint itself understands the printed spelling, it must agree with our canonical unit
    ureg = unit_registry()
    checked = 0
    for printed, canon in PRINTED.items():
        if canon in ("ft·lbf", "in·lbf") or printed in PINT_READS_OTHERWISE:
            continue  # pint reads these spellings differently from a workshop manual
        try:
            dim = str(ureg.Quantity(1, printed).dimensionality)
        except Exception:  # noqa: BLE001 - spellings pint does not parse ("° C", "ft. lbs")
            continue
        checked += 1
        assert dim == dimensionality(canon), (printed, canon)
    assert checked >= 20
    assert dimensionality("Nm") != dimensionality("mm")
    assert dimensionality("bar") == dimensionality("kPa")


def test_printed_forms():
    cases = {
        "N·m": "Nm", "ft. lbs.": "ft·lbf", "cc": "cm³", "CC": "cm³", "ccm": "cm³", "ltr": "l", "litres": "l",
        "BHP": "hp", "PS": "PS", "min-1": "rpm", "RPM": "rpm", "Ohm": "Ω", "AMP": "A", "° C": "°C", "°F": "°F",
        "°": "°", "sec": "s", "min": "min", "kg": "kg", "gr.": "g", "mm2": "mm²", "Bar": "bar", "kPa": "kPa",
        "giri/min": "rpm",  # Italian revolutions per minute (Bosch Motronic test lists)
    }
    for printed, canon in cases.items():
        info = lookup_unit(printed)
        assert info is not None and info.canonical == canon, printed


def test_exact_conversions_only():
    assert convert_exact("2.5", "bar", "kPa") == "250"
    assert convert_exact("300", "kPa", "bar") == "3"
    assert convert_exact("1.2", "l", "cm³") == "1200"
    assert convert_exact("10", "Nm", "ft·lbf") is None  # not exact: never derived
    assert convert_exact("30", "psi", "bar") is None


def test_normalise_number():
    assert normalise_number(".75") == "0.75"
    assert normalise_number("0,25") == "0.25"
    assert normalise_number("10.") == "10"
    assert Decimal(normalise_number("55.0")) == Decimal("55")
    assert normalise_number("l0") is None
