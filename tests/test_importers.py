"""`trivia-night import opentdb|csv`: decoding, skip reasons, the written pack and the CLI."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
import yaml

from bot.cli import main
from bot.importers import ImporterError, import_csv, import_opentdb
from bot.questions import limits, load_packs
from bot.questions.loader import normalise_text

ROOT = Path(__file__).resolve().parent.parent

QUOTED = {
    "type": "multiple",
    "difficulty": "medium",
    "category": "Entertainment: Film & TV",
    "question": 'Which film\'s villain says "I\'ll be back"?',
    "correct_answer": "The Terminator",
    "incorrect_answers": ["Alien", "Predator", "RoboCop"],
}
BOOLEAN = {
    "type": "boolean",
    "difficulty": "easy",
    "category": "Science & Nature",
    "question": "The Sun is a star.",
    "correct_answer": "True",
    "incorrect_answers": ["False"],
}
PLAIN = {
    "type": "multiple",
    "difficulty": "hard",
    "category": "Geography",
    "question": "What is the capital of Australia?",
    "correct_answer": "Canberra",
    "incorrect_answers": ["Sydney", "Melbourne", "Perth"],
}

HTML_ESCAPES = {"&": "&amp;", '"': "&quot;", "'": "&#039;"}


def html_encode(text: str) -> str:
    for char, entity in HTML_ESCAPES.items():
        text = text.replace(char, entity)
    return text


def b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


ENCODERS = {
    "html": html_encode,
    "url3986": lambda text: quote(text, safe=""),
    "url-legacy": lambda text: quote_plus(text, safe=""),
    "base64": b64,
}


def encode_result(result: dict, encoder) -> dict:
    """Encode a result like the API does: every string field; with base64 also type/difficulty/category."""
    encoded = {}
    for key, value in result.items():
        if isinstance(value, list):
            encoded[key] = [encoder(v) for v in value]
        elif key in ("type", "difficulty") and encoder is not b64:
            encoded[key] = value
        else:
            encoded[key] = encoder(value)
    return encoded


def write_response(path: Path, results: list, encoding: str = "html", code: int = 0) -> Path:
    encoder = ENCODERS[encoding]
    path.write_text(json.dumps({"response_code": code, "results": [encode_result(r, encoder) for r in results]}), encoding="utf-8")
    return path


def load_one_pack(path: Path):
    """The pack written by an import, loaded by the bot's own loader (which must accept it)."""
    report = load_packs([path])
    assert report.errors == []
    assert len(report.packs) == 1
    return report.packs[0]


def by_text(pack) -> dict:
    return {q.text: q for q in pack.questions}


# --- Open Trivia DB: encodings ------------------------------------------------


def test_html_entities_are_decoded(tmp_path: Path) -> None:
    source = write_response(tmp_path / "api.json", [QUOTED])
    assert "&quot;" in source.read_text() and "&#039;" in source.read_text() and "&amp;" in source.read_text()

    result = import_opentdb(source, tmp_path / "film.yaml")

    question = load_one_pack(tmp_path / "film.yaml").questions[0]
    assert result.imported == 1 and result.skipped == 0
    assert question.text == 'Which film\'s villain says "I\'ll be back"?'
    assert question.category == "Entertainment: Film & TV"
    assert question.choices == ("The Terminator", "Alien", "Predator", "RoboCop")
    assert question.answer == "The Terminator"
    assert question.difficulty == "medium"


@pytest.mark.parametrize("encoding", ["html", "url3986", "url-legacy", "base64"])
def test_every_api_encoding_is_detected_and_decoded(tmp_path: Path, encoding: str) -> None:
    source = write_response(tmp_path / "api.json", [QUOTED, BOOLEAN, PLAIN], encoding)

    import_opentdb(source, tmp_path / "mixed.yaml")

    questions = by_text(load_one_pack(tmp_path / "mixed.yaml"))
    assert set(questions) == {QUOTED["question"], BOOLEAN["question"], PLAIN["question"]}
    assert questions[QUOTED["question"]].category == "Entertainment: Film & TV"
    assert questions[PLAIN["question"]].difficulty == "hard"
    assert questions[BOOLEAN["question"]].choices == ("True", "False")


def test_url3986_fixture_really_is_percent_encoded(tmp_path: Path) -> None:
    source = write_response(tmp_path / "api.json", [QUOTED], "url3986")
    raw = json.loads(source.read_text())["results"][0]
    assert raw["question"].startswith("Which%20film%27s%20villain")
    assert raw["category"] == "Entertainment%3A%20Film%20%26%20TV"


def test_base64_decodes_type_difficulty_and_category(tmp_path: Path) -> None:
    source = write_response(tmp_path / "api.json", [BOOLEAN], "base64")
    raw = json.loads(source.read_text())["results"][0]
    assert raw["type"] == b64("boolean") and raw["difficulty"] == b64("easy")

    import_opentdb(source, tmp_path / "b.yaml")

    question = load_one_pack(tmp_path / "b.yaml").questions[0]
    assert (question.category, question.difficulty, question.answer) == ("Science & Nature", "easy", "True")


def test_explicit_encoding_overrides_detection(tmp_path: Path) -> None:
    # A question that really contains a percent escape and no spaces looks URL-encoded to auto-detection.
    tricky = dict(PLAIN, question="Is%20this%20literal?", correct_answer="Yes%20really", incorrect_answers=["No"])
    source = tmp_path / "api.json"
    source.write_text(json.dumps({"response_code": 0, "results": [tricky]}))

    import_opentdb(source, tmp_path / "auto.yaml")
    import_opentdb(source, tmp_path / "html.yaml", encoding="html")

    assert load_one_pack(tmp_path / "auto.yaml").questions[0].text == "Is this literal?"
    assert load_one_pack(tmp_path / "html.yaml").questions[0].text == "Is%20this%20literal?"


def test_wrong_explicit_encoding_skips_fields_it_cannot_decode(tmp_path: Path) -> None:
    source = write_response(tmp_path / "api.json", [PLAIN])

    with pytest.raises(ImporterError) as caught:
        import_opentdb(source, tmp_path / "out.yaml", encoding="base64")

    assert "no question could be imported" in str(caught.value)
    assert "a field is not in the file's encoding: 1 (result 1)" in str(caught.value)
    assert not (tmp_path / "out.yaml").exists()


# --- Open Trivia DB: questions, ids and the written file ----------------------


def test_boolean_questions_get_true_false_choices(tmp_path: Path) -> None:
    false_one = dict(BOOLEAN, question="The Moon is a planet.", correct_answer="False", incorrect_answers=["True"])
    source = write_response(tmp_path / "api.json", [BOOLEAN, false_one])

    import_opentdb(source, tmp_path / "tf.yaml")

    questions = by_text(load_one_pack(tmp_path / "tf.yaml"))
    assert questions["The Sun is a star."].choices == ("True", "False")
    assert questions["The Sun is a star."].answer == "True"
    assert questions["The Moon is a planet."].choices == ("True", "False")
    assert questions["The Moon is a planet."].answer == "False"
    # Written as strings, not YAML booleans.
    raw = yaml.safe_load((tmp_path / "tf.yaml").read_text())
    assert raw["questions"][0]["choices"] == ["True", "False"]


def test_ids_are_stable_across_imports_and_encodings(tmp_path: Path) -> None:
    html_source = write_response(tmp_path / "html.json", [QUOTED, BOOLEAN, PLAIN])
    b64_source = write_response(tmp_path / "b64.json", [PLAIN, QUOTED, BOOLEAN], "base64")

    # Separate folders: an import skips questions its folder already has.
    import_opentdb(html_source, tmp_path / "a" / "first.yaml")
    import_opentdb(html_source, tmp_path / "b" / "second.yaml")
    import_opentdb(b64_source, tmp_path / "c" / "third.yaml")

    def ids(name: str) -> dict[str, str]:
        return {q.text: q.id for q in load_one_pack(tmp_path / name).questions}

    assert ids("a/first.yaml") == ids("b/second.yaml") == ids("c/third.yaml")
    digest = hashlib.sha1(normalise_text(PLAIN["question"]).encode()).hexdigest()[:10]
    assert ids("a/first.yaml")[PLAIN["question"]] == f"opentdb-{digest}"


def test_explanations_are_empty_so_the_validator_warns(tmp_path: Path) -> None:
    source = write_response(tmp_path / "api.json", [PLAIN, BOOLEAN])

    import_opentdb(source, tmp_path / "p.yaml")

    report = load_packs([tmp_path / "p.yaml"])
    assert report.errors == []
    assert len(report.problems) == 2
    assert all(p.warning and p.field == "explanation" for p in report.problems)
    assert yaml.safe_load((tmp_path / "p.yaml").read_text())["questions"][0]["explanation"] == ""


def test_pack_metadata_and_name(tmp_path: Path) -> None:
    source = write_response(tmp_path / "api.json", [PLAIN])

    import_opentdb(source, tmp_path / "a" / "single.yaml")
    import_opentdb(source, tmp_path / "b" / "named.yaml", name="  My Geography  ")

    single = load_one_pack(tmp_path / "a" / "single.yaml").info
    assert single.name == "Geography"  # the one category the questions share
    assert single.license == "CC BY-SA 4.0" and "opentdb.com" in single.description
    assert load_one_pack(tmp_path / "b" / "named.yaml").info.name == "My Geography"


def test_skips_are_counted_with_reasons(tmp_path: Path) -> None:
    results = [
        PLAIN,                                                               # 1 kept
        dict(PLAIN, question="What is the capital of australia"),            # 2 same text after normalising
        dict(QUOTED, correct_answer="Alien"),                                # 3 answer is a wrong answer
        dict(QUOTED, question="Q" * (limits.MAX_QUESTION + 1)),             # 4 too long
        dict(QUOTED, question="Long choice?", incorrect_answers=["x" * (limits.MAX_CHOICE + 1), "b", "c"]),  # 5
        {k: v for k, v in QUOTED.items() if k != "correct_answer"},          # 6 missing answer
        {k: v for k, v in BOOLEAN.items() if k != "question"},               # 7 missing question
        dict(QUOTED, question="Repeated wrong?", incorrect_answers=["a", "A", "b"]),  # 8
        dict(BOOLEAN, question="Maybe?", correct_answer="Maybe"),            # 9
        dict(PLAIN, question="Odd type?", type="ranking"),                   # 10
        dict(PLAIN, question="Odd difficulty?", difficulty="extreme"),       # 11
        dict(PLAIN, question="What is the capital of Canada?", correct_answer="Ottawa"),  # 12 kept
        dict(PLAIN, question="What is the capital of Australia?!"),          # 13 duplicate again
    ]
    source = write_response(tmp_path / "api.json", results)
    source_data = json.loads(source.read_text())
    source_data["results"].append("not an object")                          # 14
    source.write_text(json.dumps(source_data))

    result = import_opentdb(source, tmp_path / "out.yaml")

    assert (result.imported, result.skipped) == (2, 12)
    summary = result.summary().splitlines()
    assert summary[0] == f"Imported 2 questions to {tmp_path / 'out.yaml'}; skipped 12:"
    assert set(summary[1:]) == {
        "  duplicate question text: 2 (results 2, 13)",
        "  answer is also a wrong answer: 1 (result 3)",
        f"  question longer than {limits.MAX_QUESTION} characters: 1 (result 4)",
        f"  an answer longer than {limits.MAX_CHOICE} characters: 1 (result 5)",
        "  missing answer: 1 (result 6)",
        "  missing question: 1 (result 7)",
        "  the same wrong answer appears twice: 1 (result 8)",
        "  boolean answer is not True or False: 1 (result 9)",
        "  type is not multiple or boolean: 1 (result 10)",
        "  difficulty is not one of easy, medium, hard: 1 (result 11)",
        "  not a JSON object: 1 (result 14)",
    }
    assert set(by_text(load_one_pack(tmp_path / "out.yaml"))) == {PLAIN["question"], "What is the capital of Canada?"}


def test_long_skip_lists_are_abbreviated(tmp_path: Path) -> None:
    source = write_response(tmp_path / "api.json", [PLAIN] * 30)

    result = import_opentdb(source, tmp_path / "out.yaml")

    line = result.summary().splitlines()[1]
    assert line.startswith("  duplicate question text: 29 (results 2, 3, 4,")
    assert line.endswith("21, ... (9 more))")


def test_yaml_lookalike_strings_stay_strings(tmp_path: Path) -> None:
    tricky = dict(
        PLAIN,
        question="- yes: #1 'or' \"no\"?",
        correct_answer="1969",
        incorrect_answers=["yes", "null", "~", "3.14", "on", "0x1F", "@everyone", "[list]", "{map}"],
    )
    source = tmp_path / "api.json"
    source.write_text(json.dumps({"response_code": 0, "results": [tricky]}))

    import_opentdb(source, tmp_path / "tricky.yaml", encoding="url3986")

    question = load_one_pack(tmp_path / "tricky.yaml").questions[0]
    assert question.text == tricky["question"]
    assert question.choices == ("1969", *tricky["incorrect_answers"])


def test_unicode_is_written_as_is(tmp_path: Path) -> None:
    accented = dict(PLAIN, question="Which city is home to the Musée d&#039;Orsay?", correct_answer="Paris", incorrect_answers=["Zürich", "Kraków", "東京"])
    source = tmp_path / "api.json"
    source.write_text(json.dumps({"response_code": 0, "results": [accented]}, ensure_ascii=True))

    import_opentdb(source, tmp_path / "u.yaml")

    text = (tmp_path / "u.yaml").read_text(encoding="utf-8")
    assert "Musée d'Orsay" in text and "東京" in text
    assert load_one_pack(tmp_path / "u.yaml").questions[0].choices[-1] == "東京"


# --- Open Trivia DB: bad input ------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("this is not json", ":1:1: error: not valid JSON: Expecting value"),
        ('{"response_code": 0}', ": error: no `results` list"),
        ('[{"question": "x"}]', ": error: no `results` list"),
        ('{"response_code": 0, "results": {}}', ": error: no `results` list"),
        ('{"response_code": 5, "results": []}', ": error: the API answered response_code 5: rate limited"),
        ('{"response_code": 0, "results": []}', ": error: contains no questions"),
    ],
)
def test_bad_json_input_is_one_clear_error(tmp_path: Path, content: str, message: str) -> None:
    source = tmp_path / "api.json"
    source.write_text(content)

    with pytest.raises(ImporterError) as caught:
        import_opentdb(source, tmp_path / "out.yaml")

    assert str(caught.value).startswith(f"{source}{message}")
    assert not (tmp_path / "out.yaml").exists()


def test_missing_source_file(tmp_path: Path) -> None:
    with pytest.raises(ImporterError, match=r"nope\.json: error: cannot read the file"):
        import_opentdb(tmp_path / "nope.json", tmp_path / "out.yaml")


def test_output_must_be_a_yaml_file(tmp_path: Path) -> None:
    source = write_response(tmp_path / "api.json", [PLAIN])
    with pytest.raises(ImporterError, match=r"must end in \.yaml or \.yml"):
        import_opentdb(source, tmp_path / "out.txt")


# --- --force ------------------------------------------------------------------


def test_existing_output_is_kept_without_force(tmp_path: Path) -> None:
    source = write_response(tmp_path / "api.json", [PLAIN])
    out = tmp_path / "out.yaml"
    out.write_text("precious: true\n")

    with pytest.raises(ImporterError, match="already exists; pass --force"):
        import_opentdb(source, out)
    assert out.read_text() == "precious: true\n"

    import_opentdb(source, out, force=True)
    assert load_one_pack(out).questions[0].text == PLAIN["question"]


def test_force_rewrites_with_the_same_ids(tmp_path: Path) -> None:
    source = write_response(tmp_path / "api.json", [PLAIN, BOOLEAN])
    out = tmp_path / "out.yaml"
    import_opentdb(source, out)
    first = out.read_text()

    import_opentdb(source, out, force=True)

    assert out.read_text() == first


# --- CSV ----------------------------------------------------------------------

CSV_HEADER = "question,answer,wrong_answers,category,difficulty,explanation,learn_more\n"


def write_csv(path: Path, body: str, header: str = CSV_HEADER) -> Path:
    path.write_text(header + body, encoding="utf-8")
    return path


def test_csv_happy_path(tmp_path: Path) -> None:
    source = write_csv(
        tmp_path / "sheet.csv",
        'Which planet is largest?,Jupiter,Saturn|Neptune|Earth,Space,easy,"Jupiter is the largest planet. It is a gas giant.",https://en.wikipedia.org/wiki/Jupiter\n'
        '"Which city, on the Tiber, is Italy\'s capital?",Rome,Milan,Geography,,,\n'
        '"Is this ""quoted""?",Yes,No | Maybe ,Language,HARD,,\n',
    )

    result = import_csv(source, tmp_path / "my-sheet.yaml")

    assert result.summary() == f"Imported 3 questions to {tmp_path / 'my-sheet.yaml'}; skipped 0."
    pack = load_one_pack(tmp_path / "my-sheet.yaml")
    questions = by_text(pack)
    jupiter = questions["Which planet is largest?"]
    assert jupiter.choices == ("Jupiter", "Saturn", "Neptune", "Earth")
    assert (jupiter.category, jupiter.difficulty) == ("Space", "easy")
    assert jupiter.explanation == "Jupiter is the largest planet. It is a gas giant."
    assert jupiter.learn_more == "https://en.wikipedia.org/wiki/Jupiter"
    rome = questions["Which city, on the Tiber, is Italy's capital?"]
    assert rome.choices == ("Rome", "Milan") and rome.difficulty == "medium" and rome.learn_more is None
    assert questions['Is this "quoted"?'].choices == ("Yes", "No", "Maybe")
    assert questions['Is this "quoted"?'].difficulty == "hard"
    assert all(q.id.startswith("my-sheet-") for q in pack.questions)
    assert pack.info.name == "My Sheet" and pack.info.description == "Imported from sheet.csv."


def test_csv_optional_columns_may_be_left_out(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "s.csv", "Maths,What is 2+2?,4,3|5\n", header=" Category ,Question,Answer,Wrong_Answers\n")

    import_csv(source, tmp_path / "s.yaml", name="Numbers")

    pack = load_one_pack(tmp_path / "s.yaml")
    assert pack.info.name == "Numbers"
    assert pack.questions[0].choices == ("4", "3", "5")
    assert pack.questions[0].difficulty == "medium"


def test_csv_with_excel_byte_order_mark_and_crlf(tmp_path: Path) -> None:
    source = tmp_path / "excel.csv"
    source.write_bytes(("\ufeff" + CSV_HEADER + "Which ocean is largest?,Pacific,Atlantic|Indian,Geography,,,\n").replace("\n", "\r\n").encode("utf-8"))

    import_csv(source, tmp_path / "excel.yaml")

    assert load_one_pack(tmp_path / "excel.yaml").questions[0].answer == "Pacific"


def test_csv_skip_reasons_name_line_numbers(tmp_path: Path) -> None:
    ten_wrong = "|".join(f"w{i}" for i in range(limits.MAX_CHOICES))
    source = write_csv(
        tmp_path / "s.csv",
        "Good one?,Yes,No,Misc,,,\n"                                   # line 2
        '"A question\nover two lines?",Yes,No,Misc,,,\n'               # lines 3-4
        "Good one,Yes,No,Misc,,,\n"                                    # line 5 duplicate of line 2
        "Same?,Yes,yes|No,Misc,,,\n"                                    # line 6
        "\n"                                                           # line 7 blank, ignored
        "No wrong?,Yes,,Misc,,,\n"                                     # line 8
        f"Too many?,Yes,{ten_wrong},Misc,,,\n"                          # line 9
        "Gap?,Yes,No||Maybe,Misc,,,\n"                                 # line 10
        "No category?,Yes,No,,,,\n"                                    # line 11
        "Bad level?,Yes,No,Misc,expert,,\n"                            # line 12
        "Bad link?,Yes,No,Misc,,,http://example.org\n"                 # line 13
        "Extra cells?,Yes,No,Misc,easy,,,surplus\n"                     # line 14
        f"{'Q' * (limits.MAX_QUESTION + 1)},Yes,No,Misc,,,\n"          # line 15
        "Another bad link?,Yes,No,Misc,,,not a link\n",                # line 16
    )

    result = import_csv(source, tmp_path / "s.yaml")

    assert (result.imported, result.skipped) == (2, 11)
    assert set(result.summary().splitlines()[1:]) == {
        "  duplicate question text: 1 (line 5)",
        "  answer is also a wrong answer: 1 (line 6)",
        "  missing wrong answers: 1 (line 8)",
        f"  needs {limits.MIN_CHOICES - 1} to {limits.MAX_CHOICES - 1} wrong answers: 1 (line 9)",
        "  empty wrong answer: 1 (line 10)",
        "  missing category: 1 (line 11)",
        "  difficulty is not one of easy, medium, hard: 1 (line 12)",
        "  learn_more is not a full https:// link: 2 (lines 13, 16)",
        "  more cells than header columns (put text with commas in double quotes): 1 (line 14)",
        f"  question longer than {limits.MAX_QUESTION} characters: 1 (line 15)",
    }
    assert set(by_text(load_one_pack(tmp_path / "s.yaml"))) == {"Good one?", "A question\nover two lines?"}


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("question,answer,category\n", "s.csv:1: error: missing column(s) wrong_answers"),
        ("question,answer,wrong_answers,category,explaination\n", "s.csv:1: error: unknown column 'explaination'; did you mean 'explanation'?"),
        ("question,answer,wrong_answers,category,question\n", "s.csv:1: error: column 'question' appears twice"),
        ("", "s.csv: error: the file is empty"),
    ],
)
def test_csv_header_errors(tmp_path: Path, header: str, message: str) -> None:
    source = write_csv(tmp_path / "s.csv", "", header=header)

    with pytest.raises(ImporterError) as caught:
        import_csv(source, tmp_path / "s.yaml")

    assert str(caught.value).startswith(str(tmp_path / message))
    assert not (tmp_path / "s.yaml").exists()


def test_csv_not_utf8_names_the_line(tmp_path: Path) -> None:
    source = tmp_path / "s.csv"
    source.write_bytes(CSV_HEADER.encode() + b"Fine?,Yes,No,Misc,,,\nCaf\xe9?,Yes,No,Misc,,,\n")

    with pytest.raises(ImporterError, match=r"s\.csv:3: error: not UTF-8 text"):
        import_csv(source, tmp_path / "s.yaml")


def test_csv_unreadable_row_names_the_line(tmp_path: Path) -> None:
    huge = write_csv(tmp_path / "huge.csv", "Fine?,Yes,No,Misc,,,\n" + "x" * 200_000 + ",Yes,No,Misc,,,\n")

    with pytest.raises(ImporterError, match=r"huge\.csv:3: error: not readable as CSV: field larger than field limit"):
        import_csv(huge, tmp_path / "huge.yaml")


def test_csv_with_only_a_header_is_an_error(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "s.csv", "\n\n")
    with pytest.raises(ImporterError, match=r"s\.csv: error: contains no questions"):
        import_csv(source, tmp_path / "s.yaml")


# --- the command line -----------------------------------------------------------


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=cwd, capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))},
    )


def test_cli_imports_opentdb_and_the_pack_validates(tmp_path: Path) -> None:
    write_response(tmp_path / "api.json", [QUOTED, BOOLEAN, PLAIN, dict(PLAIN, correct_answer="Perth")], "base64")

    done = run_cli("import", "opentdb", "api.json", "--out", "packs/films.yaml", "--name", "Films", cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        f"Imported 3 questions to {Path('packs/films.yaml')}; skipped 1:",
        "  answer is also a wrong answer: 1 (result 4)",
    ]
    assert done.stderr == ""
    checked = run_cli("validate", "packs/films.yaml", cwd=tmp_path)
    assert checked.returncode == 0
    assert checked.stdout.strip() == "OK: 1 packs, 3 questions, 3 categories"
    assert checked.stderr.count("warning: explanation: is empty") == 3


def test_cli_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    write_response(tmp_path / "api.json", [PLAIN], "url3986")
    (tmp_path / "out.yaml").write_text("keep me\n")

    refused = run_cli("import", "opentdb", "api.json", "--out", "out.yaml", cwd=tmp_path)
    forced = run_cli("import", "opentdb", "api.json", "--out", "out.yaml", "--force", "--encoding", "url3986", cwd=tmp_path)

    assert refused.returncode == 1
    assert refused.stderr == "out.yaml: error: the file already exists; pass --force to overwrite it\n"
    assert refused.stdout == ""
    assert forced.returncode == 0, forced.stderr
    assert forced.stdout == "Imported 1 question to out.yaml; skipped 0.\n"
    assert "Canberra" in (tmp_path / "out.yaml").read_text()


@pytest.mark.parametrize(
    ("fmt", "name", "content", "expected"),
    [
        ("opentdb", "api.json", "<html>rate limited</html>", "api.json:1:1: error: not valid JSON: Expecting value\n"),
        ("opentdb", "api.json", '{"results": 3}', "api.json: error: no `results` list"),
        ("csv", "s.csv", "question,answer\nA?,B\n", "s.csv:1: error: missing column(s) wrong_answers, category"),
        ("csv", "missing.csv", None, "missing.csv: error: cannot read the file: No such file or directory\n"),
    ],
)
def test_cli_bad_input_exits_1_with_one_message(tmp_path: Path, fmt: str, name: str, content: str | None, expected: str) -> None:
    if content is not None:
        (tmp_path / name).write_text(content)

    done = run_cli("import", fmt, name, "--out", "out.yaml", cwd=tmp_path)

    assert done.returncode == 1
    assert done.stderr.startswith(expected)
    assert len(done.stderr.splitlines()) == 1
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out.yaml").exists()


def test_cli_csv_reports_skipped_lines(tmp_path: Path) -> None:
    write_csv(tmp_path / "s.csv", "Good?,Yes,No,Misc,,,\nBad?,Yes,Yes,Misc,,,\n")

    done = run_cli("import", "csv", "s.csv", "--out", "s.yaml", cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "Imported 1 question to s.yaml; skipped 1:",
        "  answer is also a wrong answer: 1 (line 3)",
    ]


def test_cli_all_skipped_exits_1_and_writes_nothing(tmp_path: Path) -> None:
    write_csv(tmp_path / "s.csv", "Bad?,Yes,Yes,Misc,,,\n")

    done = run_cli("import", "csv", "s.csv", "--out", "s.yaml", cwd=tmp_path)

    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "s.csv: error: no question could be imported; skipped 1:",
        "  answer is also a wrong answer: 1 (line 2)",
    ]
    assert not (tmp_path / "s.yaml").exists()


def test_main_dispatches_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_response(tmp_path / "api.json", [PLAIN])

    assert main(["import", "opentdb", str(source), "--out", str(tmp_path / "o.yaml")]) == 0
    assert capsys.readouterr().out.startswith("Imported 1 question to ")
    assert main(["import", "opentdb", str(source), "--out", str(tmp_path / "o.yaml")]) == 1
    assert "already exists" in capsys.readouterr().err


def test_questions_already_in_the_output_folder_are_skipped(tmp_path: Path) -> None:
    bank = tmp_path / "questions"
    import_opentdb(write_response(tmp_path / "one.json", [PLAIN]), bank / "first.yaml")
    again = [dict(PLAIN, question="What is the capital of AUSTRALIA"), BOOLEAN]

    result = import_opentdb(write_response(tmp_path / "two.json", again), bank / "second.yaml")

    assert result.summary().splitlines()[1:] == [f"  already asked in {bank / 'first.yaml'}: 1 (result 1)"]
    report = load_packs([bank])
    assert report.errors == [] and len(report.questions) == 2


def test_import_into_a_copy_of_the_shipped_bank_keeps_it_valid(tmp_path: Path) -> None:
    bank = tmp_path / "questions"
    bank.mkdir()
    for pack in (ROOT / "questions").glob("*.yaml"):
        (bank / pack.name).write_bytes(pack.read_bytes())
    shipped = load_packs([bank])
    taken = shipped.packs[0].questions[0]
    write_csv(tmp_path / "s.csv", f'"{taken.text}",Yes,No,Misc,,,\nA brand new question?,Yes,No,Misc,,,\n')

    # "aaa" sorts first: a duplicate in it would make the validator reject a shipped pack instead.
    done = run_cli("import", "csv", "s.csv", "--out", "questions/aaa-new.yaml", cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1] == f"  already asked in {Path('questions', Path(shipped.packs[0].info.source).name)}: 1 (line 2)"
    checked = run_cli("validate", "questions", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith(f"OK: {len(shipped.packs) + 1} packs, {len(shipped.questions) + 1} questions")
