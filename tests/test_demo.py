"""`trivia-night demo`: the real bot in SimCord's browser preview, played through the page's HTTP interface."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.preview_client import URL, PreviewPage

ROOT = Path(__file__).resolve().parent.parent
LETTERS = [chr(0x1F1E6 + i) for i in range(4)]  # 🇦 to 🇩

PACK = """\
pack:
  name: Demo check
  description: One question with a known answer.
  author: Trivia Night tests
  license: CC0
questions:
  - id: demo-check-001
    question: "Which planet is known as the Red Planet?"
    choices: ["Venus", "Mars", "Jupiter", "Saturn"]
    answer: "Mars"
    category: Space
    difficulty: easy
    explanation: "Iron oxide dust on its surface gives Mars its colour."
"""


def demo_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "TRIVIA_"))}
    env["PYTHONPATH"] = str(ROOT)
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    return env


class Demo:
    """A `trivia-night demo` subprocess whose stdout lines are collected by a thread."""

    def __init__(self, cwd: Path, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "demo", "--no-browser", *args],
            cwd=cwd, env=demo_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)

    def line(self, containing: str, timeout: float = 60) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                assert self.process.poll() is None, f"the demo exited: {self.process.stderr.read()}"  # type: ignore[union-attr]
                continue
            if containing in line:
                return line
        raise AssertionError(f"the demo printed no line with {containing!r}")

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=60)


@pytest.fixture
def packs(tmp_path: Path) -> Path:
    folder = tmp_path / "packs"
    folder.mkdir()
    (folder / "demo-check.yaml").write_text(PACK, encoding="utf-8")
    return folder


def wait_for(page: PreviewPage, condition, timeout: float = 60):
    """Refresh the page (as its Refresh button does) until ``condition(messages)`` returns something."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        page.refresh()
        found = condition(page.messages())
        if found:
            return found
        time.sleep(0.5)
    raise AssertionError("the page never showed what was expected")


def reveal_of(messages):
    return next((m for m in messages for e in m["embeds"] if "Mars" in (e.get("title") or "")), None)


def test_demo_plays_a_round_in_the_browser_page(tmp_path, packs):
    demo = Demo(tmp_path, "--packs", str(packs))
    try:
        header = demo.line("Trivia Night demo:")
        assert "1 questions" in header or "1 question" in header
        url = URL.search(demo.line("http://127.0.0.1:")).group(0)
        host = PreviewPage(url)
        viewers = host.viewers()
        assert {"host", "ada", "grace", "linus"} <= set(viewers)
        assert host.state["channel"]["name"] == "trivia"

        receipt = host.slash("trivia", seconds="10")
        assert not receipt["rejected"], receipt["diagnostics"]
        question = host.messages()[-1]
        assert question["author"]["name"] == "Trivia Night"
        assert "Which planet is known as the Red Planet?" in question["embeds"][0]["description"]

        letters = {line[2:]: line[0] for line in question["embeds"][0]["description"].splitlines() if line[:1] in LETTERS}
        assert set(letters) == {"Venus", "Mars", "Jupiter", "Saturn"}  # in a shuffled order
        ada, grace = PreviewPage(url, viewers["ada"]), PreviewPage(url, viewers["grace"])
        assert not ada.react(question["id"], letters["Mars"])["rejected"]
        assert not grace.react(question["id"], letters["Venus"])["rejected"]

        reveal = wait_for(host, reveal_of)  # the timer runs on the real clock
        card = reveal["embeds"][0]
        fields = {f["name"]: f["value"] for f in card["fields"]}
        assert card["title"].startswith(f"{letters['Mars']} Mars")
        assert "Iron oxide dust" in card["description"]
        assert "**ada**" in fields["Got it right"] and "grace" not in fields["Got it right"]  # names, never mentions

        assert not ada.slash("leaderboard")["rejected"]
        board = ada.messages()[-1]["embeds"][0]
        assert board["title"].startswith("🏆 Leaderboard") and board["description"].startswith("🥇 **ada**")
    finally:
        status = demo.stop()
    assert status == 0
    assert "Traceback" not in demo.process.stderr.read()  # type: ignore[union-attr]


def test_without_the_preview_extra_one_line_says_what_to_install(tmp_path):
    blocked = "import sys; sys.modules['simcord'] = None; from bot.cli import main; sys.exit(main(['demo', '--no-browser']))"
    done = subprocess.run([sys.executable, "-c", blocked], cwd=tmp_path, env=demo_env(), capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [done.stderr.strip()]
    assert 'pip install -e ".[demo]"' in done.stderr and 'pip install "trivia-night[demo]"' in done.stderr
    assert "Traceback" not in done.stderr
