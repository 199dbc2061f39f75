"""Pack validation: every kind of problem, with the message and the exact place reported."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.questions import limits
from bot.questions.errors import PackProblem
from bot.questions.loader import load_packs, normalise_text, parse_pack
from tests.fixtures import mercury_question

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "questions"

GOOD = (
    """\
pack:
  name: Test
  description: A pack for the tests.
questions:
"""
    + mercury_question("t-001", tags="[planets]")  # lines 5 to 14
    + """\
  - id: t-002
    question: "Which gas do plants take in for photosynthesis?"
    choices: ["Carbon dioxide", "Oxygen", "Nitrogen", "Helium"]
    answer: "Carbon dioxide"
    category: Science
    explanation: "Plants turn carbon dioxide and water into sugar."
"""
)
# Line numbers in GOOD (1-based): the first question's `id`, then its fields in mercury_question's order.
L_Q1, L_QUESTION, L_CHOICES, L_ANSWER, L_CATEGORY, L_DIFFICULTY, L_EXPLANATION, L_LEARN, L_IMAGE = range(5, 14)


def replace(old: str, new: str, text: str = GOOD) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def check(text: str | bytes, source: str = "test.yaml"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return parse_pack(data, source)


def errors_of(text: str | bytes) -> list[PackProblem]:
    pack, problems = check(text)
    errors = [p for p in problems if not p.warning]
    assert pack is None, "a pack with errors must be rejected"
    assert errors, "a rejected pack must say why"
    return errors


def only_error(text: str | bytes) -> PackProblem:
    errors = errors_of(text)
    assert len(errors) == 1, [str(e) for e in errors]
    return errors[0]


def col(line_text: str, needle: str) -> int:
    """1-based column of ``needle`` in a line."""
    return line_text.index(needle) + 1


# --- the good pack ------------------------------------------------------------------

def test_good_pack_loads_with_every_field() -> None:
    pack, problems = check(GOOD)
    assert problems == []
    assert pack is not None
    assert pack.info.name == "Test" and pack.info.description == "A pack for the tests."
    first, second = pack.questions
    assert first.id == "t-001" and first.answer == "Mercury" and first.answer_index == 0
    assert first.choices == ("Mercury", "Venus", "Mars", "Earth")
    assert first.difficulty == "easy"
    assert first.learn_more == "https://en.wikipedia.org/wiki/Mercury_(planet)"
    assert first.image == "https://example.org/mercury.png"
    assert first.tags == ("planets",)
    assert first.line == L_Q1 and second.line == 15
    assert first.pack == "Test"


def test_default_difficulty_is_medium() -> None:
    pack, _ = check(GOOD)
    assert pack is not None
    assert pack.questions[1].difficulty == "medium"


def test_problem_renders_as_file_line_column() -> None:
    problem = only_error(replace("difficulty: easy", "difficulty: extreme"))
    assert str(problem) == (
        f"test.yaml:{L_DIFFICULTY}:17: error: difficulty: 'extreme' is not allowed; use one of easy, medium, hard"
    )


# --- one test per kind of error --------------------------------------------------------

@pytest.mark.parametrize(
    ("field", "line"),
    [
        pytest.param("category", "    category: Space\n", id="missing_field_points_at_the_question"),
        pytest.param(
            "explanation", '    explanation: "Mercury orbits closest to the Sun."\n', id="missing_explanation_is_an_error"
        ),
    ],
)
def test_missing_required_field(field: str, line: str) -> None:
    problem = only_error(replace(line, ""))
    assert problem.message == f"missing `{field}:`"
    assert problem.field == field
    assert (problem.line, problem.column) == (L_Q1, 5)  # the mapping starts at `id`


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        pytest.param("Mercuri", "; did you mean 'Mercury'?", id="answer_not_among_choices_suggests_the_nearest"),
        pytest.param("Pluto", "", id="answer_far_from_every_choice_has_no_hint"),
        pytest.param("mercury", "; did you mean 'Mercury'?", id="answer_must_match_case_exactly"),
    ],
)
def test_answer_not_among_choices(answer: str, hint: str) -> None:
    problem = only_error(replace('answer: "Mercury"', f'answer: "{answer}"'))
    assert problem.message == f"'{answer}' is not one of the choices (it must match one exactly){hint}"
    assert problem.field == "answer"
    assert (problem.line, problem.column) == (L_ANSWER, 13)


def test_duplicate_choices_point_at_the_repeat() -> None:
    line = '    choices: ["Mercury", "Venus", "mercury", "Earth"]'
    problem = only_error(replace('    choices: ["Mercury", "Venus", "Mars", "Earth"]', line))
    assert problem.message == "'mercury' appears twice; every choice must be different"
    assert problem.field == "choices[3]"
    assert (problem.line, problem.column) == (L_CHOICES, col(line, '"mercury"'))


@pytest.mark.parametrize("value", ["extreme", "Easy", "1"])
def test_wrong_difficulty(value: str) -> None:
    problem = only_error(replace("difficulty: easy", f"difficulty: {value}"))
    shown = repr(value) if value != "1" else "a number (1)"
    assert problem.message == f"{shown} is not allowed; use one of easy, medium, hard"
    assert (problem.line, problem.column) == (L_DIFFICULTY, 17)


@pytest.mark.parametrize(
    "url",
    ["http://en.wikipedia.org/wiki/Mercury", "en.wikipedia.org/wiki/Mercury", "https://", "https://exa mple.org/x", "https://[oops"],
)
def test_learn_more_must_be_a_full_https_link(url: str) -> None:
    problem = only_error(replace("learn_more: https://en.wikipedia.org/wiki/Mercury_(planet)", f'learn_more: "{url}"'))
    assert problem.message == f"must be a full https:// link, got {url!r}"
    assert problem.field == "learn_more"
    assert (problem.line, problem.column) == (L_LEARN, 17)


def test_a_link_scheme_in_capitals_is_accepted_and_written_the_way_discord_expects() -> None:
    shouted = replace("image: https://example.org/mercury.png", "image: HTtps://example.org/mercury.png")
    pack, problems = parse_pack(replace("learn_more: https://", "learn_more: HTTPS://", shouted).encode(), "test.yaml")
    assert not problems and pack is not None
    assert pack.questions[0].image == "https://example.org/mercury.png"
    assert pack.questions[0].learn_more == "https://en.wikipedia.org/wiki/Mercury_(planet)"


def test_reveal_image_is_optional_and_must_be_https() -> None:
    shown = "    image: https://example.org/mercury.png\n"
    pack, problems = parse_pack(replace(shown, shown + "    reveal_image: https://example.org/orbit.png\n").encode(), "test.yaml")
    assert not problems and pack is not None and pack.questions[0].reveal_image == "https://example.org/orbit.png"
    problem = only_error(replace(shown, shown + '    reveal_image: "https://exa mple.org/x.png"\n'))
    assert problem.field == "reveal_image"
    assert problem.message == "must be a full https:// link, got 'https://exa mple.org/x.png'"


def test_image_must_be_https() -> None:
    problem = only_error(replace("image: https://example.org/mercury.png", "image: ftp://example.org/mercury.png"))
    assert problem.message == "must be a full https:// link, got 'ftp://example.org/mercury.png'"
    assert problem.field == "image"
    assert (problem.line, problem.column) == (L_IMAGE, 12)


@pytest.mark.parametrize(
    ("field", "text", "limit", "place"),
    [
        pytest.param(
            "question", "Which planet is closest to the Sun?", limits.MAX_QUESTION, (L_QUESTION, 15), id="too_long_question"
        ),
        pytest.param(
            "explanation",
            "Mercury orbits closest to the Sun.",
            limits.MAX_EXPLANATION,
            (L_EXPLANATION, 18),
            id="too_long_explanation",
        ),
    ],
)
def test_too_long_text(field: str, text: str, limit: int, place: tuple[int, int]) -> None:
    long = field[0].upper() * (limit + 1)  # QQQ… or EEE…
    problem = only_error(replace(f'{field}: "{text}"', f'{field}: "{long}"'))
    assert problem.message == f"is {limit + 1} characters; shorten it to at most {limit}"
    assert problem.field == field
    assert (problem.line, problem.column) == place


def test_question_at_the_limit_is_fine() -> None:
    text = "Q" * limits.MAX_QUESTION
    pack, problems = check(replace('question: "Which planet is closest to the Sun?"', f'question: "{text}"'))
    assert pack is not None and problems == []


def test_too_long_choice() -> None:
    long = "V" * (limits.MAX_CHOICE + 1)
    line = f'    choices: ["Mercury", "{long}", "Mars", "Earth"]'
    problem = only_error(replace('    choices: ["Mercury", "Venus", "Mars", "Earth"]', line))
    assert problem.message == f"is {limits.MAX_CHOICE + 1} characters; shorten it to at most {limits.MAX_CHOICE}"
    assert problem.field == "choices[2]"
    assert (problem.line, problem.column) == (L_CHOICES, col(line, f'"{long}"'))


def test_bare_yes_choice_is_not_text() -> None:
    line = '    choices: ["Mercury", yes, "Mars", "Earth"]'
    problem = only_error(replace('    choices: ["Mercury", "Venus", "Mars", "Earth"]', line))
    assert problem.message == "must be text but is a true/false value (true); put it in double quotes"
    assert problem.field == "choices[2]"
    assert (problem.line, problem.column) == (L_CHOICES, col(line, "yes"))


def test_bare_year_choice_and_answer_are_not_text() -> None:
    text = replace('    choices: ["Mercury", "Venus", "Mars", "Earth"]', '    choices: [1969, "1970", "1971"]')
    text = replace('answer: "Mercury"', "answer: 1969", text)
    errors = errors_of(text)
    assert [(e.field, e.message, e.line, e.column) for e in errors] == [
        ("choices[1]", "must be text but is a number (1969); put it in double quotes", L_CHOICES, 15),
        ("answer", "must be text but is a number (1969); put it in double quotes", L_ANSWER, 13),
    ]


def test_unknown_field_with_suggestion() -> None:
    problem = only_error(replace("    image: https://example.org/mercury.png\n", "    imgae: https://example.org/mercury.png\n"))
    assert problem.message == "unknown question field `imgae`; did you mean `image`?"
    assert problem.field == "imgae"
    assert (problem.line, problem.column) == (L_IMAGE, 5)


def test_misspelt_required_field_is_unknown_and_missing() -> None:
    errors = errors_of(replace("    category: Space\n", "    categroy: Space\n"))
    assert [(e.message, e.line, e.column) for e in errors] == [
        ("unknown question field `categroy`; did you mean `category`?", L_CATEGORY, 5),
        ("missing `category:`", L_Q1, 5),
    ]


def test_unknown_field_without_a_close_match_lists_the_allowed_ones() -> None:
    problem = only_error(replace("    tags: [planets]\n", "    zzz: 1\n"))
    assert problem.message.startswith("unknown question field `zzz`; allowed: id, question, choices, answer")
    assert (problem.line, problem.column) == (14, 5)


def test_unknown_pack_and_top_level_fields() -> None:
    text = replace("  description: A pack for the tests.\n", "  descripton: A pack for the tests.\n")
    text = text + "extra: 1\n"
    errors = errors_of(text)
    assert [(e.message, e.line, e.column) for e in errors] == [
        ("unknown top-level field `extra`; allowed: pack, questions", 21, 1),
        ("unknown pack field `descripton`; did you mean `description`?", 3, 3),
    ]


def test_bad_yaml_syntax() -> None:
    line = '    question: "Which planet" is closest?"'
    problem = only_error(replace('    question: "Which planet is closest to the Sun?"', line))
    assert problem.message == "not valid YAML: did not find expected key"
    assert (problem.line, problem.column) == (L_QUESTION, col(line, "is closest"))


def test_unclosed_list_is_bad_yaml() -> None:
    problem = only_error(replace('["Mercury", "Venus", "Mars", "Earth"]', '["Mercury", "Venus", "Mars", "Earth"'))
    assert problem.message == "not valid YAML: did not find expected ',' or ']'"
    assert problem.line == L_ANSWER


def test_tab_indentation_is_bad_yaml() -> None:
    problem = only_error(replace("    category: Space\n", "\tcategory: Space\n"))
    assert problem.message == "not valid YAML: found character that cannot start any token"
    assert (problem.line, problem.column) == (L_CATEGORY, 1)  # the tab itself


def test_aliases_are_refused() -> None:
    text = replace('    choices: ["Carbon dioxide", "Oxygen", "Nitrogen", "Helium"]', "    choices: *planets")
    text = replace('    choices: ["Mercury", "Venus", "Mars", "Earth"]', '    choices: &planets ["Mercury", "Venus", "Mars", "Earth"]', text)
    problem = only_error(text)
    assert problem.message == "YAML anchors and aliases (&name / *name) are not allowed in packs; write the value out"
    # Reported where the shared value is written (after the anchor).
    assert (problem.line, problem.column) == (L_CHOICES, col('    choices: &planets ["Mercury"', "&planets"))


def test_duplicate_key_in_a_question_is_refused() -> None:
    problem = only_error(replace('    answer: "Mercury"\n', '    answer: "Mercury"\n    answer: "Venus"\n'))
    assert problem.message == "`answer` is written twice in this mapping; keep only one"
    assert (problem.line, problem.column) == (L_ANSWER + 1, 5)


def test_duplicate_top_level_key_does_not_silently_drop_the_questions() -> None:
    # Found by the fuzzer: with two `questions:` keys, YAML keeps the last value but the
    # validator read the first key's (empty) node, so a pack with no questions was accepted.
    problem = only_error("questions:\n" + GOOD)
    assert problem.message == "`questions` is written twice in this mapping; keep only one"
    assert (problem.line, problem.column) == (5, 1)  # the second `questions:`


def test_unknown_key_with_a_line_break_prints_on_one_line() -> None:
    errors = errors_of(replace("    tags: [planets]\n", '    "bad\\nkey": 1\n'))
    assert [str(e) for e in errors] == [
        "test.yaml:14:5: error: 'bad\\nkey': unknown question field `'bad\\nkey'`; allowed: "
        "id, question, choices, answer, category, difficulty, explanation, learn_more, image, reveal_image, tags"
    ]


def test_merge_key_values_are_located_where_they_take_effect() -> None:
    text = replace('    answer: "Mercury"\n', '    <<: {answer: "Venus"}\n    answer: "Mercuri"\n')
    problem = only_error(text)
    assert problem.message.startswith("'Mercuri' is not one of the choices")
    assert problem.line == L_ANSWER + 1  # the explicit key, which wins over the merged one


def test_non_utf8_bytes_point_at_the_bad_byte() -> None:
    data = replace('explanation: "Mercury orbits closest to the Sun."', 'explanation: "Caf\u00e9 Mercury."').encode("utf-8")
    data = data.replace("\u00e9".encode("utf-8"), b"\xe9")  # Latin-1 é
    problem = only_error(data)
    assert problem.message == "the file is not UTF-8 text; save it as UTF-8"
    assert (problem.line, problem.column) == (L_EXPLANATION, len('    explanation: "Caf') + 1)


def test_utf8_bom_is_accepted() -> None:
    pack, problems = check(b"\xef\xbb\xbf" + GOOD.encode("utf-8"))
    assert pack is not None and problems == []


def test_control_character_is_reported_where_it_is() -> None:
    text = replace('answer: "Mercury"', 'answer: "Merc\x07ury"')
    problem = only_error(text)
    assert problem.message == "the file contains the character #x0007, which packs may not use; remove it"
    assert "\n" not in str(problem)
    assert (problem.line, problem.column) == (L_ANSWER, col('    answer: "Merc\x07', "\x07"))


def test_file_too_large_is_refused_before_parsing() -> None:
    data = GOOD.encode("utf-8") + b"#" * (limits.MAX_PACK_BYTES - len(GOOD) + 1)
    assert len(data) == limits.MAX_PACK_BYTES + 1
    problem = only_error(data)
    assert problem.message == "the file is 2049 KiB; packs may be at most 2048 KiB, split it"
    assert (problem.line, problem.column) == (1, 1)


def test_file_at_the_size_limit_is_parsed() -> None:
    data = GOOD.encode("utf-8") + b"#" * (limits.MAX_PACK_BYTES - len(GOOD))
    pack, problems = check(data)
    assert pack is not None and problems == []


@pytest.mark.parametrize("data", [b"", b"\n\n", b"# only a comment\n", b"   \n"])
def test_empty_file(data: bytes) -> None:
    problem = only_error(data)
    assert problem.message == "the file is empty; a pack needs `pack:` and `questions:`"
    assert (problem.line, problem.column) == (1, 1)


def test_bad_dates_and_tags_are_located_errors_not_crashes() -> None:
    problem = only_error(replace("tags: [planets]", "tags: [planets, 2024-13-45]"))
    assert problem.message == "not valid YAML: cannot read `2024-13-45` as timestamp; if it is text, put it in double quotes"
    assert (problem.line, problem.column) == (14, col("    tags: [planets, 2024-13-45]", "2024"))
    problem = only_error(replace("difficulty: easy", "difficulty: !!bool easy"))
    assert problem.message == "not valid YAML: cannot read `easy` as bool; if it is text, put it in double quotes"
    assert problem.line == L_DIFFICULTY


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- 1\n- 2\n", "a pack must be a mapping with `pack:` and `questions:`; this file holds a list"),
        ("just words\n", "a pack must be a mapping with `pack:` and `questions:`; this file holds str"),
        ("questions: []\n", "missing `pack:` section with at least `name:`"),
    ],
)
def test_whole_file_shape_errors(text: str, message: str) -> None:
    errors = errors_of(text)
    assert errors[0].message == message
    assert (errors[0].line, errors[0].column) == (1, 1)


def test_empty_questions_list() -> None:
    problem = only_error("pack:\n  name: X\nquestions: []\n")
    assert problem.message == "must be a non-empty list of questions"
    assert (problem.line, problem.column) == (3, 12)


def test_question_entry_must_be_a_mapping() -> None:
    problem = only_error("pack:\n  name: X\nquestions:\n  - just a string\n")
    assert problem.message == "each entry of `questions:` must be a mapping; this one is str"
    assert (problem.line, problem.column) == (4, 5)


def test_choice_count_limits() -> None:
    problem = only_error(replace('["Mercury", "Venus", "Mars", "Earth"]', '["Mercury"]'))
    assert problem.message == "has 1 entries; give 2 to 10"
    assert (problem.line, problem.column) == (L_CHOICES, 14)


def test_bad_id() -> None:
    problem = only_error(replace("id: t-001", 'id: "t 001"'))
    assert problem.message == "'t 001' may only use letters, digits and - _ . :"
    assert (problem.line, problem.column) == (L_Q1, 9)


def test_every_problem_in_a_pack_is_reported_at_once() -> None:
    text = replace("difficulty: easy", "difficulty: extreme")
    text = replace('answer: "Carbon dioxide"', 'answer: "CO2"', text)
    errors = errors_of(text)
    assert [(e.field, e.line) for e in errors] == [("difficulty", L_DIFFICULTY), ("answer", 18)]


# --- warnings ---------------------------------------------------------------------------

@pytest.mark.parametrize("value", ['""', "", '"   "'])
def test_empty_explanation_is_a_warning_not_an_error(value: str) -> None:
    pack, problems = check(replace('explanation: "Mercury orbits closest to the Sun."', f"explanation: {value}".rstrip()))
    assert pack is not None
    assert pack.questions[0].explanation == ""
    assert len(problems) == 1
    warning = problems[0]
    assert warning.warning
    assert warning.message == "is empty; players learn more when every answer is explained"
    assert warning.line == L_EXPLANATION
    assert str(warning).startswith(f"test.yaml:{L_EXPLANATION}:")
    assert ": warning: explanation: " in str(warning)


# --- several packs --------------------------------------------------------------------------

def other_pack(question: str = "Who painted the Mona Lisa?", qid: str = "u-001") -> str:
    return f"""\
pack:
  name: Other
questions:
  - id: {qid}
    question: "{question}"
    choices: ["Leonardo da Vinci", "Michelangelo"]
    answer: "Leonardo da Vinci"
    category: Art
    explanation: "Leonardo painted it in the early 1500s."
"""


def write(directory: Path, name: str, text: str | bytes) -> Path:
    path = directory / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def test_bad_pack_is_rejected_and_good_pack_next_to_it_loads(tmp_path: Path) -> None:
    write(tmp_path, "a-good.yaml", GOOD)
    bad = write(tmp_path, "b-bad.yaml", replace('answer: "Mercury"', 'answer: "Mercuri"'))
    write(tmp_path, "notes.txt", "not a pack")
    report = load_packs([tmp_path])
    assert [p.info.name for p in report.packs] == ["Test"]
    assert report.rejected == [str(bad)]
    # The bad pack copies the good one, so besides its typo (one pass reports everything) its valid
    # second question repeats t-002's id and text.
    second = GOOD.count("\n", 0, GOOD.index("id: t-002")) + 1
    assert [(e.source, e.line, e.field) for e in report.errors] == [
        (str(bad), L_ANSWER, "answer"), (str(bad), second, "id"), (str(bad), second, "question"),
    ]
    assert {q.id for q in report.questions} == {"t-001", "t-002"}


def test_yml_suffix_is_loaded(tmp_path: Path) -> None:
    write(tmp_path, "other.yml", other_pack())
    report = load_packs([tmp_path])
    assert [q.id for q in report.questions] == ["u-001"]


def test_duplicate_ids_across_packs_reject_the_later_pack(tmp_path: Path) -> None:
    first = write(tmp_path, "a.yaml", GOOD)
    second = write(tmp_path, "b.yaml", other_pack(qid="t-002"))
    report = load_packs([tmp_path])
    assert [p.info.name for p in report.packs] == ["Test"]
    assert report.rejected == [str(second)]
    (problem,) = report.errors
    assert problem.source == str(second)
    assert problem.message == f"id 't-002' is already used in {first} (t-002); ids must be unique across packs"
    assert (problem.line, problem.column) == (4, 1)


@pytest.mark.parametrize(
    "variant",
    ["which planet is closest to the sun", "Which  planet is closest to the Sun ?", "WHICH PLANET IS CLOSEST TO THE SUN!!", "Which planet, is closest to the Sun?"],
)
def test_near_duplicate_question_text_across_packs(tmp_path: Path, variant: str) -> None:
    write(tmp_path, "a.yaml", GOOD)
    second = write(tmp_path, "b.yaml", other_pack(question=variant))
    report = load_packs([tmp_path])
    assert report.rejected == [str(second)]
    (problem,) = report.errors
    assert problem.message == f"the same question is already asked by t-001 in {tmp_path / 'a.yaml'}; remove or reword one"
    assert problem.field == "question"
    assert (problem.source, problem.line, problem.column) == (str(second), 4, 1)


def test_different_question_text_is_not_a_duplicate(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", GOOD)
    write(tmp_path, "b.yaml", other_pack(question="Which planet is farthest from the Sun?"))
    report = load_packs([tmp_path])
    assert report.errors == [] and len(report.packs) == 2


def test_normalise_text() -> None:
    assert normalise_text("  Qu'est-ce   que C\u00e9line?  ") == "qu est ce que celine"
    assert normalise_text("snake_case") == normalise_text("snake case")
    assert normalise_text("Who wrote Les Mis\u00e9rables?") == normalise_text("who wrote les miserables")


def test_unreadable_path_is_reported(tmp_path: Path) -> None:
    missing = tmp_path / "gone.yaml"
    report = load_packs([missing])
    assert report.rejected == [str(missing)]
    assert report.errors[0].message.startswith("cannot read the file")


# --- the command line --------------------------------------------------------------------

def run_validate(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "validate", *map(str, paths)],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )


def test_cli_validate_bad_pack_exits_1_with_located_errors(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.yaml", replace('answer: "Mercury"', 'answer: "Mercuri"'))
    done = run_validate(bad)
    assert done.returncode == 1
    output = done.stdout + done.stderr
    assert (
        f"{bad}:{L_ANSWER}:13: error: answer: 'Mercuri' is not one of the choices (it must match one exactly); "
        "did you mean 'Mercury'?"
    ) in output.splitlines()
    assert "OK:" not in output


def test_cli_validate_shipped_questions_exits_0_with_summary() -> None:
    report = load_packs([SHIPPED])
    done = run_validate(SHIPPED)
    assert done.returncode == 0, done.stderr
    categories = {q.category for q in report.questions}
    summary = f"OK: {len(report.packs)} packs, {len(report.questions)} questions, {len(categories)} categories"
    assert done.stdout.strip().splitlines()[-1] == summary
    assert len(report.packs) >= 1 and len(report.questions) >= len(report.packs)


# --- the shipped bank -----------------------------------------------------------------------

SHIPPED_PACKS = sorted(SHIPPED.glob("*.yaml")) + sorted(SHIPPED.glob("*.yml"))


def test_there_are_shipped_packs() -> None:
    assert SHIPPED_PACKS


@pytest.mark.parametrize("path", SHIPPED_PACKS, ids=lambda p: p.name)
def test_each_shipped_pack_validates_without_errors(path: Path) -> None:
    pack, problems = parse_pack(path.read_bytes(), str(path))
    assert [str(p) for p in problems if not p.warning] == []
    assert pack is not None and pack.questions


def test_shipped_bank_has_no_errors_across_packs() -> None:
    report = load_packs([SHIPPED])
    assert [str(p) for p in report.errors] == []
    assert report.rejected == []
    assert len(report.packs) == len(SHIPPED_PACKS)
