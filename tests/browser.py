"""Open a local HTML file in headless Chromium and report what the page did.

Uses the ``playwright`` package with the system's Chromium (Debian package
``chromium``); ``playwright install`` (which downloads browsers) is never
needed. The browser context is offline, so a page that tries to fetch
anything fails loudly instead of reaching the network.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

#: Where to find Chromium: ``$CHROMIUM`` if set, else ``chromium`` / ``chromium-browser`` on PATH.
CHROMIUM_NAMES = ("chromium", "chromium-browser")


def chromium_path() -> str | None:
    """The Chromium executable, or ``None`` when it is not installed."""
    env = os.environ.get("CHROMIUM")
    if env:
        return env if Path(env).is_file() else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def require_chromium() -> str:
    """Skip the calling test, with the reason, when Playwright or Chromium is absent."""
    pytest.importorskip(
        "playwright.sync_api", reason="the playwright package is not installed (dev extra)"
    )
    path = chromium_path()
    if path is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium)")
    return path


@dataclass
class PageReport:
    """What happened while a page loaded, and what a script evaluated on it returned."""

    console: list[tuple[str, str]]
    page_errors: list[str]
    requests: list[str]
    failed_requests: list[str]
    value: object


def load_page(path: Path, script: str, *, timeout_ms: int = 10_000) -> PageReport:
    """Load *path* (``file://``), wait for it, run *script* (a JS expression) and report.

    Call :func:`require_chromium` first.
    """
    from playwright.sync_api import sync_playwright

    console: list[tuple[str, str]] = []
    page_errors: list[str] = []
    requests: list[str] = []
    failed: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), timeout=timeout_ms)
        try:
            context = browser.new_context(offline=True, java_script_enabled=True)
            page = context.new_page()
            page.set_default_timeout(timeout_ms)
            page.on("console", lambda m: console.append((m.type, m.text)))
            page.on("pageerror", lambda e: page_errors.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            page.on("requestfailed", lambda r: failed.append(r.url))
            page.goto(path.resolve().as_uri(), wait_until="load")
            value = page.evaluate(script)
        finally:
            browser.close()
    return PageReport(console, page_errors, requests, failed, value)
