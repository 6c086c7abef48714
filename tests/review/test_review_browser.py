"""Browser test: Playwright drives Debian chromium through the review app on a one-page sample build.

Open the queue, move to a fact with the keyboard (j, Enter), edit its value (e, type, Enter), rebuild,
and the corrected value is in ``records/facts.jsonl`` and in the exported examples.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
PAGE = "00 - Torque Specs/11-18.jpg"
NEW_VALUE = "77.5"

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def served_build(tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium not installed (make sysdeps-test)")
    pytest.importorskip("playwright.sync_api")
    uvicorn = pytest.importorskip("uvicorn")
    from manualtune.pipeline import build
    from manualtune.review.server import create_app
    from manualtune.sample import generate_sample_manual

    src, out = tmp_path / "src", tmp_path / "build"
    generate_sample_manual(src, pages=[PAGE])
    build(src, out, workers=1)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(out), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "review server did not start"
    yield src, out, f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def _target_row(out: Path, base: str) -> tuple[int, dict]:
    """Index (in the 'all facts' queue) of the first fact with SPEC examples and a plain value."""
    import httpx

    examples = [json.loads(x) for x in (out / "dataset" / "examples.jsonl").read_text().splitlines()]
    with_examples = {fid for e in examples if e["task"] == "SPEC" for fid in e["fact_ids"]}
    items = httpx.get(f"{base}/api/queue", params={"status": "all"}).json()
    for i, it in enumerate(items):
        rec = it["record"]
        if it["kind"] == "fact" and rec["fact_id"] in with_examples and rec["value_printed"].isdigit() \
                and not rec["stages"] and NEW_VALUE not in json.dumps(rec):
            return i, rec
    raise AssertionError("no editable fact with examples in the one-page build")


def test_edit_with_the_keyboard_reaches_facts_and_exports(served_build):
    from playwright.sync_api import sync_playwright

    from manualtune.pipeline import build

    src, out, base = served_build
    index, fact = _target_row(out, base)
    exports = ("train.jsonl", "val.jsonl", "test.jsonl")
    assert NEW_VALUE not in "".join((out / "dataset" / n).read_text() for n in exports)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            page.goto(f"{base}/?status=all")
            for _ in range(index + 1):
                page.keyboard.press("j")
            assert page.locator("#queue tbody tr.sel").count() == 1
            with page.expect_navigation():
                page.keyboard.press("Enter")
            assert page.locator("#ocr-text").inner_text() == fact["text"]
            page.keyboard.press("e")
            assert page.evaluate("document.activeElement.id") == "f-value"
            page.keyboard.type(NEW_VALUE)
            with page.expect_navigation():
                page.keyboard.press("Enter")
            assert "saved: edit" in page.locator("#saved").inner_text()
            assert page.locator("#decision").inner_text().startswith("edit")
        finally:
            browser.close()

    result = build(src, out, workers=1)
    assert not result.up_to_date and result.ocr_calls == 0  # decisions re-applied, OCR from the cache
    facts = [json.loads(x) for x in (out / "records" / "facts.jsonl").read_text().splitlines()]
    edited = next(f for f in facts if f["fact_id"] == fact["fact_id"])
    assert (edited["value"], edited["value_printed"]) == (NEW_VALUE, NEW_VALUE)
    answers = [m["content"] for n in exports for line in (out / "dataset" / n).read_text().splitlines()
               for m in json.loads(line)["messages"] if m["role"] == "assistant"]
    assert any(NEW_VALUE in a for a in answers)
    examples = [json.loads(x) for x in (out / "dataset" / "examples.jsonl").read_text().splitlines()]
    assert any(NEW_VALUE in e["answer"] for e in examples if fact["fact_id"] in e["fact_ids"])
    summary = json.loads((out / "review" / "summary.json").read_text())
    assert summary["facts_edited"] == 1 and summary["changed_fact_ids"] == [fact["fact_id"]]
    assert json.loads((out / "summary.json").read_text())["counts"]["review_stale"] == 0
