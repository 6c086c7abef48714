"""The command line: real commands on small real inputs (Typer's CliRunner)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from manualtune.cli import app
from manualtune.sample import generate_sample_manual

runner = CliRunner()


def _one_page(tmp_path: Path) -> Path:
    generate_sample_manual(tmp_path / "s", pages=["21 - Clutch/21-3.jpg"])
    return tmp_path / "s" / "21 - Clutch" / "21-3.jpg"


def test_ocr_text_and_json(tmp_path):
    page = _one_page(tmp_path)
    truth = json.loads(page.with_name("21-3.truth.json").read_text())
    text = runner.invoke(app, ["ocr", str(page), "--text"])
    assert text.exit_code == 0, text.output
    first_heading = truth["headings"][0] if truth.get("headings") else truth["transcript"][0]
    assert first_heading.split()[0] in text.stdout
    as_json = runner.invoke(app, ["ocr", str(page), "--json"])
    assert as_json.exit_code == 0
    rec = json.loads(as_json.stdout)
    assert rec["word_count"] > 20 and rec["lines"][0]["words"][0]["bbox"]["x1"] > 0


def test_ocr_of_a_broken_file_says_why(tmp_path):
    bad = tmp_path / "bad.jpg"
    bad.write_text("this is not a jpeg")
    res = runner.invoke(app, ["ocr", str(bad)])
    assert res.exit_code == 1
    assert "not_an_image" in res.output


def test_build_of_a_missing_folder_is_a_usage_error(tmp_path):
    res = runner.invoke(app, ["build", str(tmp_path / "nope"), "--out", str(tmp_path / "b")])
    assert res.exit_code == 2
    assert "source folder not found" in res.output


def test_build_with_an_unknown_executor_is_a_usage_error(tmp_path):
    (tmp_path / "src").mkdir()
    res = runner.invoke(app, ["build", str(tmp_path / "src"), "--out", str(tmp_path / "b"), "--executor", "spark"])
    assert res.exit_code == 2 and "--executor must be local or ray" in res.output
    res = runner.invoke(app, ["build", str(tmp_path / "src"), "--out", str(tmp_path / "b"), "--ray-address", "auto"])
    assert res.exit_code == 2 and "--ray-address needs --executor ray" in res.output


def test_build_with_a_bad_config_is_a_usage_error(tmp_path):
    cfg = tmp_path / "c.yml"
    cfg.write_text("ocr: {no_such_option: 1}\n")
    (tmp_path / "src").mkdir()
    res = runner.invoke(app, ["build", str(tmp_path / "src"), "--config", str(cfg)])
    assert res.exit_code == 2
    assert "no_such_option" in res.output


def test_score_facts_without_a_build_says_what_to_do(tmp_path):
    res = runner.invoke(app, ["score-facts", str(tmp_path), str(tmp_path)])
    assert res.exit_code == 2
    assert "run `manualtune build` first" in res.output
