"""`trivia-night validate` reports every problem in one run: a repeated id or question in one pack is
reported together with the field errors of that same pack, not only after they are fixed."""

from __future__ import annotations

from pathlib import Path

from bot.questions import load_packs
from tests.test_cli_start import start

FIRST = """\
pack:
  name: First
questions:
  - id: first-001
    question: "Which planet is closest to the Sun?"
    choices: ["Mercury", "Venus"]
    answer: "Mercury"
    category: Space
    explanation: "Mercury orbits closest."
"""

SECOND = """\
pack:
  name: Second
questions:
  - id: first-001
    question: "Which planet is the largest?"
    choices: ["Jupiter", "Venus"]
    answer: "Jupiter"
    category: Space
    explanation: "Jupiter is the largest."
  - id: second-002
    question: "Which planet has the most moons?"
    choices: ["Saturn", "Venus"]
    answer: "Pluto"
    category: Space
    explanation: "Saturn."
  - id: second-003
    question: "which planet is CLOSEST to the sun"
    choices: ["Mercury", "Mars"]
    answer: "Mercury"
    category: Space
    explanation: "Mercury again."
"""


def write(folder: Path) -> Path:
    folder.mkdir()
    (folder / "first.yaml").write_text(FIRST, encoding="utf-8")
    (folder / "second.yaml").write_text(SECOND, encoding="utf-8")
    return folder


def test_validate_reports_field_errors_and_repeats_across_packs_in_one_run(tmp_path):
    write(tmp_path / "packs")
    done = start(tmp_path, None, "validate", "packs")
    assert done.returncode == 1
    second = str(Path("packs") / "second.yaml")
    assert done.stderr.splitlines() == [
        f"{second}:13:13: error: answer: 'Pluto' is not one of the choices (it must match one exactly)",
        f"{second}:4:1: error: id: id 'first-001' is already used in {Path('packs') / 'first.yaml'} (first-001); ids must be unique across packs",
        f"{second}:16:1: error: question: the same question is already asked by first-001 in {Path('packs') / 'first.yaml'}; remove or reword one",
        "3 error(s) in 1 file(s)",
    ]


def test_a_pack_with_errors_is_still_not_played(tmp_path):
    report = load_packs([write(tmp_path / "packs")])
    assert [pack.info.name for pack in report.packs] == ["First"]
    assert [q.id for q in report.questions] == ["first-001"]
    assert report.rejected == [str(tmp_path / "packs" / "second.yaml")]
