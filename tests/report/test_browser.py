"""The report opened from file:// in headless Chromium shows the right figures and its crops load."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from manualtune.cache import read_jsonl
from manualtune.report import ReportConfig, screenshot_report, write_report
from manualtune.report.screenshot import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser

if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} missing (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _open(browser, index: Path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(index.resolve().as_uri(), wait_until="load")
    return page, requests, errors


def test_dom_shows_the_figures(browser, fake_build) -> None:
    b = fake_build.build
    n = len(read_jsonl(b / "dataset/examples.jsonl"))
    index = write_report(b, cfg=ReportConfig(n_samples=n))
    qa = json.loads((b / "report/qa.json").read_text(encoding="utf-8"))
    page, requests, errors = _open(browser, index)
    try:
        assert page.inner_text("#count-examples") == str(n)
        assert page.inner_text("#count-pages") == str(len(read_jsonl(b / "records/pages.jsonl")))
        assert page.inner_text("#count-excluded") == str(len(read_jsonl(b / "dataset/excluded.jsonl")))
        assert page.inner_text("#count-quarantined") == str(len(read_jsonl(b / "quarantine.jsonl")))
        assert page.inner_text("#mean-conf") == f"{qa['counts']['mean_ocr_confidence']:,.2f}"
        assert page.locator("#conflicts-table tbody tr").count() == len(read_jsonl(b / "records/conflicts.jsonl"))
        assert page.locator("#quarantine-table tbody tr").count() == qa["quarantine"]["total"]
        assert page.locator("#cleanup-table tbody tr").count() == len(qa["cleanup"]["by_rule"])
        bars = page.locator("#ocr-histogram rect.bar")
        assert bars.count() == 10
        assert [int(bars.nth(i).get_attribute("data-count")) for i in range(10)] == [
            h["count"] for h in qa["ocr"]["confidence_histogram"]]
        # escaped text shows literally, nothing got injected
        assert "<script>alert('x')</script>" in page.inner_text("#samples")
        assert page.locator("script").count() == 0
        assert "<b>clutch</b> pedal" in page.inner_text("#conflicts-table")
        # every crop loads from report/crops
        imgs = page.locator("#samples img")
        assert imgs.count() == sum(1 for s in qa["samples"] if s["crop"]) > 0
        widths = page.eval_on_selector_all("#samples img", "els => els.map(e => e.complete ? e.naturalWidth : 0)")
        assert all(w > 0 for w in widths)
        assert all(u.startswith(("file://", "data:")) for u in requests)
        assert errors == []
    finally:
        page.close()


def test_empty_build_shows_none(browser, tmp_path: Path) -> None:
    page, _, errors = _open(browser, write_report(tmp_path))
    try:
        assert page.inner_text("#count-examples") == "0"
        assert page.inner_text("#mean-conf") == "none"
        assert page.inner_text("#conflicts-table tbody") == "none"
        assert page.inner_text("#leakage-table tbody") == "none"
        assert errors == []
    finally:
        page.close()


def test_screenshot_report(fake_build, tmp_path: Path) -> None:
    out = screenshot_report(fake_build.build, tmp_path / "shot.png", width=1000, height=700)
    with Image.open(out) as im:
        assert im.size == (1000, 700)
        assert len(set(im.convert("L").resize((50, 35)).tobytes())) > 5  # not a blank page
    assert (fake_build.build / "report/index.html").is_file()
