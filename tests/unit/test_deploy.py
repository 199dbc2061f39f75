"""What a host runs the bot with: the example systemd unit, and a CI script that leaves the host's venv alone."""

from __future__ import annotations

import configparser
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def unit() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # systemd keys are case-sensitive
    parser.read(ROOT / "deploy" / "trivia-night.service", encoding="utf-8")
    return parser


def test_the_service_restarts_on_failure_in_its_working_directory_with_its_environment_file():
    service = unit()["Service"]
    assert service["Restart"] == "on-failure" and int(service["RestartSec"]) > 0
    working = Path(service["WorkingDirectory"])
    assert working.is_absolute()
    assert service["EnvironmentFile"].lstrip("-") == str(working / ".env")
    assert service["ExecStart"] == f"{working}/.venv/bin/trivia-night run"
    assert unit()["Install"]["WantedBy"] == "multi-user.target"
    assert "network-online.target" in unit()["Unit"]["After"]


def test_ci_builds_its_own_venv_and_never_deletes_dot_venv():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line for line in script.splitlines() if not line.lstrip().startswith("#")]
    removed = [m.group(1) for line in commands for m in re.finditer(r"rm -rf (\S+)", line)]
    assert removed == ['"$VENV"'] and 'VENV=.ci/venv' in commands
    assert not any(re.search(r"(^|[\s/])\.venv\b", line) for line in commands)
    assert ".ci/venv/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
