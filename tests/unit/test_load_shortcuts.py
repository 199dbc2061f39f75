"""The shortcuts of a cold bank load find exactly what the general way finds.

Each shortcut is compared with the general way it stands in for, on a representative sample: the
give-away index with a scan of every sentence, the ASCII word split with the Unicode one, and the
direct build of a pack document with PyYAML's checks and constructor, and the short tag resolution
with PyYAML's.
"""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.questions import load_packs
from bot.questions.giveaways import _Bank, words
from bot.questions.model import Question
from bot.questions.yamlsource import SafeLoader, _build_plain, _PackLoader, _refuse_aliases, _ShortResolveLoader, _Unusual
from tests.fixtures import mercury_question

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = load_packs([ROOT / "questions"]).questions


def sample_bank(size: int, seed: int) -> list[Question]:
    """Shipped questions drawn again under new ids (so each is given away by its copies), and some
    whose explanation states another question's answer in that question's own words."""
    rng = random.Random(seed)
    bank = [dataclasses.replace(rng.choice(SHIPPED), id=f"copy-{i}") for i in range(size)]
    for i in range(size // 4):
        asker, told = rng.sample(SHIPPED, 2)
        telling = f"{told.text.rstrip('?')} is {told.answer}. {asker.explanation}"
        bank.append(dataclasses.replace(asker, id=f"mixed-{i}", explanation=telling))
    return bank


def test_the_give_away_index_finds_what_a_scan_of_every_sentence_finds() -> None:
    bank = _Bank(sample_bank(400, seed=11))
    indexed = bank.sentences_with_answer_words()
    found = scanned = 0
    for index in bank.answers:
        every_other = [position for position, unit in enumerate(bank.units) if unit.owner != index]
        expected = bank.giveaways_of(index, every_other)
        assert bank.giveaways_of(index, indexed.get(index, [])) == expected, bank.questions[index].id
        found += len(expected)
        scanned += 1
    assert found > 50 and scanned > 400  # the sample holds many give-aways, so a miss would show


@settings(max_examples=400)
@given(st.lists(st.sampled_from([*"abcsuiSIU09 _-'.,!?()\"\t\n\x1f", "glass", "axis", "'s", "cats"]), max_size=30).map("".join))
def test_ascii_text_is_split_into_words_as_any_text_is(text: str) -> None:
    # A non-ASCII word at the end sends the same text down the Unicode way.
    assert words(f"{text} é") == [*words(text), "e"]


PACK = "pack:\n  name: Shortcut\nquestions:\n" + mercury_question("short-001", tags="[planets, sun]")
EDITS = [
    "", "    answer: 1969\n", "    answer: yes\n", "    difficulty: ~\n", "    tags: !!set {a}\n", "    <<: {id: x}\n",
    "    learn_more: &link https://x.org\n    image: *link\n", "    id: again\n", "    when: 2001-12-14\n",
    "    when: 2001-13-45\n", "    count: !!int abc\n", "    ? [a]\n    : b\n", "    1: one\n", "    nested: [[[a]]]\n",
]


@settings(max_examples=300)
@given(st.lists(st.sampled_from(EDITS), max_size=4), st.sampled_from(["", "pack:\n  name: Twice\n", "- a\n"]))
def test_a_pack_built_directly_equals_one_checked_and_built_by_pyyaml(edits: list[str], tail: str) -> None:
    text = PACK + "".join(edits) + tail
    try:
        loader = SafeLoader(text)
        node = loader.get_single_node()
    except yaml.YAMLError:
        return  # not YAML at all: nothing is built either way
    try:
        direct = _build_plain(node, loader, "*" in text)
    except _Unusual:
        direct = _Unusual  # left to the general way, which reports whatever is wrong
    except Exception:  # noqa: BLE001 - a failure is left to the general way too
        direct = _Unusual
    if direct is not _Unusual:
        general = SafeLoader(text)
        general_node = general.get_single_node()
        _refuse_aliases(general_node, text)  # a document built directly has nothing to refuse
        assert repr(direct) == repr(general.construct_document(general_node))  # same values, same types


def test_the_shipped_packs_and_the_sample_pack_are_built_directly() -> None:
    for path in [*sorted((ROOT / "questions").glob("*.yaml")), ROOT / "tests" / "packs" / "sample.yaml"]:
        text = path.read_text(encoding="utf-8")
        loader = SafeLoader(text)
        direct = _build_plain(loader.get_single_node(), loader, "*" in text)
        assert direct == yaml.load(text, Loader=SafeLoader), path.name


SCALAR_PIECES = [*"0123456789+-._:~ eE", "0x", "0o", "0b", "1_000", ".inf", ".NaN", "true", "No", "ON", "null", "Null",
                 "2001-12-14", "T21:59:43", "<<", "=", "yes", "é", ""]


@settings(max_examples=500)
@given(st.lists(st.sampled_from(SCALAR_PIECES), max_size=5).map("".join), st.booleans(), st.booleans())
def test_the_short_tag_resolution_gives_pyyamls_tags(value: str, plain: bool, quoted: bool) -> None:
    assert _PackLoader is _ShortResolveLoader  # the shortcut is the one packs are read with
    short, general = _ShortResolveLoader(""), SafeLoader("")
    for kind in (yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode):
        assert short.resolve(kind, value, (plain, quoted)) == general.resolve(kind, value, (plain, quoted))
