"""The question bank cache: used only when it matches the packs and the code, rebuilt otherwise."""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from pathlib import Path

import pytest

from bot.questions import cache as bank_cache
from bot.questions import load_packs
from bot.questions.cache import load_packs_cached
from bot.settings import Settings

SAMPLE = Path(__file__).parent.parent / "packs" / "sample.yaml"
EXTRA = """\
pack:
  name: Extra
questions:
  - id: extra-1
    question: Which colour is the sky on a clear day?
    choices: [Blue, Green, Red]
    answer: Blue
    category: Nature
    explanation: ""
"""


@pytest.fixture
def packs(tmp_path: Path) -> Path:
    folder = tmp_path / "packs"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "sample.yaml")
    (folder / "extra.yaml").write_text(EXTRA, encoding="utf-8")
    return folder


def same_report(a, b) -> None:
    assert a.packs == b.packs
    assert [q.line for q in a.questions] == [q.line for q in b.questions]  # not part of Question equality
    assert a.problems == b.problems
    assert [p.rule for p in a.problems] == [p.rule for p in b.problems]
    assert a.rejected == b.rejected


def test_a_warm_load_gives_exactly_what_a_fresh_load_gives(packs: Path, tmp_path: Path, monkeypatch) -> None:
    cache_file = tmp_path / "bank.cache"
    cold = load_packs_cached([packs], cache_file)
    assert cache_file.exists()
    monkeypatch.setattr(bank_cache, "load_files", lambda contents: pytest.fail("the packs were validated again"))
    warm = load_packs_cached([packs], cache_file)
    same_report(warm, load_packs([packs]))
    same_report(cold, warm)
    assert any(p.warning for p in warm.problems)  # the empty explanation's warning is kept too


def test_a_changed_pack_rebuilds_the_cache(packs: Path, tmp_path: Path) -> None:
    cache_file = tmp_path / "bank.cache"
    load_packs_cached([packs], cache_file)
    (packs / "extra.yaml").write_text(EXTRA.replace("Which colour is the sky", "What colour is the sea"), encoding="utf-8")
    report = load_packs_cached([packs], cache_file)
    assert "What colour is the sea on a clear day?" in {q.text for q in report.questions}
    same_report(report, load_packs([packs]))


def test_an_added_or_removed_pack_rebuilds_the_cache(packs: Path, tmp_path: Path) -> None:
    cache_file = tmp_path / "bank.cache"
    load_packs_cached([packs], cache_file)
    (packs / "extra.yaml").unlink()
    assert "extra-1" not in {q.id for q in load_packs_cached([packs], cache_file).questions}
    (packs / "extra.yaml").write_text(EXTRA, encoding="utf-8")
    assert "extra-1" in {q.id for q in load_packs_cached([packs], cache_file).questions}


@pytest.mark.parametrize("damage", [
    lambda data: data[: len(data) // 2],                      # truncated
    lambda data: data.replace(b"Blue", b"Pink"),               # a bit of the body changed
    lambda data: b"garbage\x00\xff" + data,                    # not a cache at all
    lambda data: data.replace(b'"digest"', b'"digets"'),       # header damaged
    lambda data: b"",                                          # empty
])
def test_a_corrupt_cache_is_ignored_with_a_warning_and_rebuilt(packs: Path, tmp_path: Path, caplog, damage) -> None:
    cache_file = tmp_path / "bank.cache"
    load_packs_cached([packs], cache_file)
    cache_file.write_bytes(damage(cache_file.read_bytes()))
    with caplog.at_level(logging.WARNING, logger="bot.questions.cache"):
        report = load_packs_cached([packs], cache_file)
    same_report(report, load_packs([packs]))
    assert "corrupt" in caplog.text
    with caplog.at_level(logging.WARNING, logger="bot.questions.cache"):
        caplog.clear()
        same_report(load_packs_cached([packs], cache_file), report)  # rebuilt: read back cleanly
    assert "corrupt" not in caplog.text


def test_a_well_formed_cache_with_wrong_types_is_not_trusted(packs: Path, tmp_path: Path, caplog) -> None:
    """A cache whose checksum matches but whose records are not what this code writes is refused."""
    cache_file = tmp_path / "bank.cache"
    load_packs_cached([packs], cache_file)
    header, body = bank_cache._split(cache_file.read_bytes())
    data = json.loads(body)
    data["packs"][0]["questions"][0][2] = "not a list"
    forged = json.dumps(data).encode()
    header["digest"] = hashlib.sha256(forged).hexdigest()
    cache_file.write_bytes(bank_cache.MAGIC + json.dumps(header).encode() + b"\n" + forged)
    with caplog.at_level(logging.WARNING, logger="bot.questions.cache"):
        report = load_packs_cached([packs], cache_file)
    same_report(report, load_packs([packs]))
    assert "corrupt" in caplog.text


def test_a_cache_from_another_version_is_rebuilt(packs: Path, tmp_path: Path, monkeypatch) -> None:
    cache_file = tmp_path / "bank.cache"
    load_packs_cached([packs], cache_file)
    monkeypatch.setattr(bank_cache, "code_version", lambda: "another version")
    calls = []
    real = bank_cache.load_files
    monkeypatch.setattr(bank_cache, "load_files", lambda contents: calls.append(1) or real(contents))
    same_report(load_packs_cached([packs], cache_file), load_packs([packs]))
    assert calls == [1]
    assert bank_cache._split(cache_file.read_bytes())[0]["code"] == "another version"


def test_an_unwritable_cache_location_still_loads_the_packs(packs: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    same_report(load_packs_cached([packs], blocker / "bank.cache"), load_packs([packs]))


def test_the_cache_lives_beside_the_database_and_can_be_moved_or_turned_off(tmp_path: Path) -> None:
    assert Settings(database=tmp_path / "db.sqlite3").bank_cache_file == tmp_path / "question-bank.cache"
    assert Settings(bank_cache=str(tmp_path / "x.cache")).bank_cache_file == tmp_path / "x.cache"
    assert Settings(bank_cache="off").bank_cache_file is None
    assert Settings.from_env({"TRIVIA_BANK_CACHE": "off"}, env_file=tmp_path / "none").bank_cache_file is None
