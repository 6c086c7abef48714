"""Screenshot of the QA report in headless Chromium (Playwright), e.g. for ``docs/img/report.png``."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class ScreenshotError(RuntimeError):
    """Chromium or Playwright is missing, or the page could not be rendered."""


def screenshot_report(
    build_dir: Path,
    out_png: Path,
    width: int = 1280,
    height: int = 1400,
    full_page: bool = False,
    executable: str = CHROMIUM,
) -> Path:
    """Render ``build_dir/report/index.html`` (written first if missing) to ``out_png``.

    The viewport is ``width`` x ``height`` CSS pixels; ``full_page`` captures the whole page.
    Raises :class:`ScreenshotError` with what to install when Chromium/Playwright is missing.
    """
    from manualtune.report.render import write_report

    build_dir = Path(build_dir)
    index = build_dir / "report" / "index.html"
    if not index.is_file():
        index = write_report(build_dir)
    if not Path(executable).exists():
        raise ScreenshotError(f"Chromium not found at {executable} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as e:  # pragma: no cover - dev extra
        raise ScreenshotError("playwright is not installed (pip install -e '.[dev]')") from e
    out_png = Path(out_png)
    out_png.parent.mkdir(parents=True, exist_ok=True)

    def shoot() -> None:
        with sync_playwright() as p:
            _shoot(p, executable, index, out_png, width, height, full_page)

    # Playwright's sync API refuses to run inside a running asyncio loop (notebooks, other
    # Playwright sessions): a worker thread has none.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(shoot).result()
    return out_png


def _shoot(p, executable: str, index: Path, out_png: Path, width: int, height: int, full_page: bool) -> None:
    """Launch Chromium from a started Playwright ``p`` and save one screenshot of ``index``."""
    browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    try:
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(index.resolve().as_uri(), wait_until="load")
        page.screenshot(path=str(out_png), full_page=full_page)
    except Exception as e:  # noqa: BLE001 - re-raised with context
        raise ScreenshotError(f"could not render {index}: {e}") from e
    finally:
        browser.close()
