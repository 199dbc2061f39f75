"""Property-based fuzzing of the pack validator.

``parse_pack`` is the entry point for shipped packs and for uploads, so whatever
bytes it gets it must answer, quickly, with either a pack and no errors or no
pack and at least one located error. It must never raise.

The three strategies below feed 3,000 + 3,500 + 4,000 = 10,500 documents per run.
"""

from __future__ import annotations

import time
from datetime import timedelta

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from bot.questions import limits
from bot.questions.errors import PackProblem
from bot.questions.loader import parse_pack
from bot.questions.model import DIFFICULTIES, Pack
from tests.fixtures import mercury_question

SOURCE = "fuzz.yaml"
BYTES_EXAMPLES = 3_000
YAML_EXAMPLES = 3_500
MUTATION_EXAMPLES = 4_000
assert BYTES_EXAMPLES + YAML_EXAMPLES + MUTATION_EXAMPLES >= 10_000

FUZZ = settings(
    deadline=timedelta(seconds=2),  # one document taking longer than this counts as a hang
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

VALID_PACK = (
    """\
pack:
  name: Fuzz
  description: "A valid pack that the mutations start from."
  author: tests
  license: CC0
questions:
"""
    + mercury_question("fuzz-001", tags="[planets, sun]")
    + """\
  - id: fuzz-002
    question: "In which year did Apollo 11 land on the Moon?"
    choices: ["1969", "1968", "1970", "1972"]
    answer: "1969"
    category: Space
    explanation: ""
"""
)


def assert_well_formed(data: bytes) -> None:
    """The validator's contract, checked on one document."""
    result = parse_pack(data, SOURCE)
    assert isinstance(result, tuple) and len(result) == 2
    pack, problems = result
    assert isinstance(problems, list)
    assert all(isinstance(p, PackProblem) for p in problems)
    errors = [p for p in problems if not p.warning]
    for problem in problems:
        assert problem.source == SOURCE
        assert problem.line >= 1 and problem.column >= 1
        assert problem.message
        rendered = str(problem)
        assert rendered.startswith(f"{SOURCE}:{problem.line}:{problem.column}: ")
        assert "\n" not in rendered and "\r" not in rendered, "one problem must print as one line"
    event("accepted" if pack is not None else "rejected: not YAML" if any(
        p.message.startswith("not valid YAML") for p in errors) else "rejected by the schema")
    if pack is None:
        assert errors, "a rejected pack must come with at least one error"
        return
    assert isinstance(pack, Pack)
    assert not errors, "an accepted pack must have no errors"
    assert pack.questions
    for question in pack.questions:
        assert limits.MIN_CHOICES <= len(question.choices) <= limits.MAX_CHOICES
        assert question.answer in question.choices
        assert len({c.casefold() for c in question.choices}) == len(question.choices)
        assert question.difficulty in DIFFICULTIES
        assert 0 < len(question.text) <= limits.MAX_QUESTION
        assert all(isinstance(c, str) and 0 < len(c) <= limits.MAX_CHOICE for c in question.choices)
        assert question.learn_more is None or question.learn_more.startswith("https://")
        assert question.image is None or question.image.startswith("https://")


# --- 1. random bytes ----------------------------------------------------------------------

@settings(FUZZ, max_examples=BYTES_EXAMPLES)
@given(st.binary(max_size=400))
def test_random_bytes(data: bytes) -> None:
    assert_well_formed(data)


# --- 2. random YAML from nested dicts, lists and scalars -------------------------------------

KEYS = st.sampled_from([
    "pack", "questions", "name", "description", "id", "question", "choices", "answer", "category",
    "difficulty", "explanation", "learn_more", "image", "tags", "<<", "",
]) | st.text(max_size=12)
SCALARS = (
    st.none() | st.booleans() | st.integers() | st.floats()
    | st.text(max_size=40)
    | st.sampled_from(["easy", "medium", "hard", "Mercury", "https://en.wikipedia.org/wiki/X", "http://x",
                       "https://[oops", "yes", "1969", "2001-13-45", "~", "", " ", "\t"])
)
TREES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(KEYS, children, max_size=6),
    max_leaves=20,
)
QUESTION_LIKE = st.fixed_dictionaries(
    {"id": SCALARS, "question": SCALARS, "choices": st.lists(SCALARS, max_size=11) | TREES,
     "answer": SCALARS, "category": SCALARS, "explanation": SCALARS},
    optional={"difficulty": SCALARS, "learn_more": SCALARS, "image": SCALARS, "tags": TREES, "extra": TREES},
)
PACK_LIKE = st.fixed_dictionaries(
    {"pack": st.dictionaries(KEYS, SCALARS, max_size=5) | TREES,
     "questions": st.lists(QUESTION_LIKE | TREES, max_size=4) | TREES},
    optional={"extra": TREES},
)


@st.composite
def yaml_documents(draw) -> bytes:
    tree = draw(st.one_of(TREES, PACK_LIKE))
    text = yaml.safe_dump(
        tree,
        allow_unicode=draw(st.booleans()),
        default_flow_style=draw(st.sampled_from([None, True, False])),
        sort_keys=False,
    )
    return text.encode("utf-8")


@settings(FUZZ, max_examples=YAML_EXAMPLES)
@given(yaml_documents())
def test_random_yaml(data: bytes) -> None:
    assert_well_formed(data)


# --- 3. mutations of a valid pack ---------------------------------------------------------------

SNIPPETS = st.sampled_from([
    ":", ": ", "-", "- ", "[", "]", "{", "}", ",", "&a ", "*a", "!!", "!!int ", "!!bool ", "!!timestamp ",
    "!!binary ", "!!set ", "!!omap ", "!foo ", "? ", "|", ">", "#", '"', "'", "\\", "\t", "\n", "\r\n", "\n  ",
    "yes", "no", "on", "1969", "0x1F", "1e400", "2001-13-45", "2001-12-14t21:59:43.10-25:00", "~", "null",
    "<<: {id: x}\n", "%YAML 1.1\n", "---\n", "...\n", "\x00", "\x07", "\u00e9", "\ufeff", "\u2028", "\U0001F600",
    "9" * 5000, "https://[oops", "http://example.org", "Mercury", "mercury", "easy", "extreme",
])


@st.composite
def mutated_packs(draw) -> bytes:
    text = VALID_PACK
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        kind = draw(st.sampled_from(["insert", "delete", "replace", "swap_lines", "dup_line", "drop_line"]))
        lines = text.split("\n")
        pos = draw(st.integers(min_value=0, max_value=len(text)))
        if kind == "insert":
            snippet = draw(SNIPPETS | st.text(max_size=8))
            text = text[:pos] + snippet + text[pos:]
        elif kind == "delete":
            length = draw(st.integers(min_value=1, max_value=30))
            text = text[:pos] + text[pos + length:]
        elif kind == "replace":
            text = text[:pos] + draw(st.characters()) + text[pos + 1:]
        else:
            i = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            j = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            if kind == "swap_lines":
                lines[i], lines[j] = lines[j], lines[i]
            elif kind == "dup_line":
                lines.insert(j, lines[i])
            else:
                del lines[i]
            text = "\n".join(lines)
    data = text.encode("utf-8", "surrogatepass")
    if draw(st.integers(min_value=0, max_value=9)) == 0:  # sometimes break the encoding too
        at = draw(st.integers(min_value=0, max_value=len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=3)) + data[at:]
    return data


@settings(FUZZ, max_examples=MUTATION_EXAMPLES)
@given(mutated_packs())
def test_mutated_valid_pack(data: bytes) -> None:
    assert_well_formed(data)


def test_the_unmutated_pack_is_valid() -> None:
    pack, problems = parse_pack(VALID_PACK.encode(), SOURCE)
    assert pack is not None and len(pack.questions) == 2
    assert [p.warning for p in problems] == [True]  # only the empty explanation


# --- hostile documents ----------------------------------------------------------------------------

def timed(data: bytes) -> tuple[float, tuple]:
    start = time.perf_counter()
    result = parse_pack(data, SOURCE)
    return time.perf_counter() - start, result


def test_billion_laughs_is_refused_quickly() -> None:
    lines = ['lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        refs = ", ".join([f"*lol{i - 1}"] * 10)
        lines.append(f"lol{i}: &lol{i} [{refs}]")
    data = ("\n".join(lines) + "\n").encode()
    elapsed, (pack, problems) = timed(data)
    assert elapsed < 1.0
    assert pack is None
    (problem,) = problems
    assert problem.message == "YAML anchors and aliases (&name / *name) are not allowed in packs; write the value out"
    assert problem.line == 1


def test_billion_laughs_inside_a_pack_is_refused_quickly() -> None:
    data = VALID_PACK.replace('tags: [planets, sun]', 'tags: &t [[*t]]').encode()
    elapsed, (pack, problems) = timed(data)
    assert elapsed < 1.0 and pack is None
    assert "aliases" in problems[0].message


def test_ten_thousand_nested_lists_are_refused_quickly() -> None:
    data = b"[" * 10_000 + b"]" * 10_000
    elapsed, (pack, problems) = timed(data)
    assert elapsed < 1.0
    assert pack is None
    (problem,) = problems
    assert not problem.warning
    assert "nest" in problem.message  # "... maximum nesting depth" / "... nested too deeply ..."
    assert problem.line == 1


def test_ten_thousand_nested_block_lists_are_refused_quickly() -> None:
    data = b"questions:\n  " + b"- " * 10_000 + b"x\n"
    elapsed, (pack, problems) = timed(data)
    assert elapsed < 2.0
    assert pack is None and "nest" in problems[0].message


def test_many_broken_questions_are_checked_in_linear_time() -> None:
    # 20,000 empty questions (100 KB): each has six problems. Recounting errors per question took ~40 s.
    data = b"pack: {name: x}\nquestions:\n" + b"- {}\n" * 20_000
    elapsed, (pack, problems) = timed(data)
    assert pack is None and len(problems) == 6 * 20_000
    assert elapsed < 5.0


def test_a_mapping_with_many_unknown_keys_is_checked_in_linear_time() -> None:
    # 30,000 unknown keys (300 KB): finding each key's position by a fresh scan took ~20 s.
    data = b"".join(b"k%d: 1\n" % i for i in range(30_000))
    elapsed, (pack, problems) = timed(data)
    assert pack is None
    unknown = [p for p in problems if p.message.startswith("unknown top-level field")]
    assert len(unknown) == 30_000
    assert (unknown[-1].line, unknown[-1].column) == (30_000, 1)
    assert elapsed < 5.0
