"""manualtune.report: the static QA report of a build folder (``report/index.html`` + ``qa.json``).

:func:`write_report` reads whatever the build folder holds (any file may be missing or empty)
and writes a self-contained HTML page plus the same figures as JSON; :func:`screenshot_report`
renders the page in headless Chromium to a PNG (for the README).
"""

from manualtune.report.config import ReportConfig
from manualtune.report.render import VERSION, collect_qa, render_html, write_report
from manualtune.report.screenshot import ScreenshotError, screenshot_report

__all__ = [
    "VERSION",
    "ReportConfig",
    "ScreenshotError",
    "collect_qa",
    "render_html",
    "screenshot_report",
    "write_report",
]
