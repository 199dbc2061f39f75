"""Unit-test hooks."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """In modules that ask for it (``SHOW_OFFENDERS_WHEN_XFAILED = True``), an expected failure's
    summary line (``pytest -rx``) also says why it failed, e.g. which question ids break a rule."""
    report = yield
    module = getattr(item, "module", None)
    if getattr(module, "SHOW_OFFENDERS_WHEN_XFAILED", False) and getattr(report, "wasxfail", None) and call.excinfo:
        report.wasxfail = f"{report.wasxfail}: {call.excinfo.value}"
    return report
