"""`manualtune review queue|apply|export` on the tiny build (Typer CliRunner)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from manualtune.cli import app

runner = CliRunner()
HEAD = "fact:manual/p1.png#p1@40,100,700,130:c4a7f10b6cc7"


def test_queue_json_lines(tiny_build):
    res = runner.invoke(app, ["review", "queue", str(tiny_build), "--json", "--limit", "2"])
    assert res.exit_code == 0, res.output
    lines = [json.loads(x) for x in res.stdout.splitlines()]
    assert [x["kind"] for x in lines] == ["fact", "conflict"]
    assert {"key", "kind", "reason", "record", "source"} <= set(lines[0])
    bad = runner.invoke(app, ["review", "queue", str(tiny_build), "--reason", "bogus"])
    assert bad.exit_code == 2 and "unknown reason" in bad.output


def test_apply_then_export_and_stale(tiny_build, tmp_path):
    decisions = tmp_path / "decisions.jsonl"
    decisions.write_text(
        json.dumps({"key": HEAD, "action": "edit", "fields": {"value": "46"}, "reason": "scan"}) + "\n"
        + json.dumps({"key": "fact:gone.png#p1@-:000000000000", "action": "accept"}) + "\n"
        + "not json\n", encoding="utf-8")
    res = runner.invoke(app, ["review", "apply", str(tiny_build), str(decisions)])
    assert res.exit_code == 1 and "2 decision(s) stored" in res.output and "decisions.jsonl:3" in res.output
    out = runner.invoke(app, ["review", "export", str(tiny_build)])
    keys = [json.loads(x)["key"] for x in out.stdout.splitlines()]
    assert keys == sorted([HEAD, "fact:gone.png#p1@-:000000000000"])
    q = runner.invoke(app, ["review", "queue", str(tiny_build)])
    assert "1 stale decision(s)" in q.output and "fact:gone.png" in q.output


def test_decisions_file_option_is_remembered_for_builds(tiny_build, tmp_path):
    from manualtune.review.config import load_review_config

    elsewhere = tmp_path / "git" / "decisions.sqlite"
    decisions = tmp_path / "d.jsonl"
    decisions.write_text(json.dumps({"key": HEAD, "action": "accept"}) + "\n", encoding="utf-8")
    res = runner.invoke(app, ["review", "apply", str(tiny_build), str(decisions), "--decisions", str(elsewhere)])
    assert res.exit_code == 0, res.output
    assert elsewhere.is_file() and not (tiny_build / "review.sqlite").exists()
    assert load_review_config(tiny_build).decisions_path(tiny_build) == elsewhere.resolve()


def test_not_a_build_folder(tmp_path):
    res = runner.invoke(app, ["review", "queue", str(tmp_path)])
    assert res.exit_code == 2 and "run `manualtune build` first" in res.output
