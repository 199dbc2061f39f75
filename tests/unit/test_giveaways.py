"""Give-away warnings: a question's text or explanation answering another question."""

from __future__ import annotations

from pathlib import Path

from bot.questions import load_packs
from bot.questions.giveaways import find_giveaways, giveaway_problems, pairs
from bot.questions.model import Question


def q(qid: str, text: str, answer: str, explanation: str = "", choices: tuple[str, ...] = ()) -> Question:
    return Question(
        id=qid, text=text, choices=choices or (answer, "Other A", "Other B", "Other C"), answer=answer,
        category="Test", explanation=explanation,
    )


GOD_OF_WAR = q("myth-1", "Who was the Roman god of war?", "Mars", "Mars was the Roman god of war.")
RED_PLANET = q(
    "space-1", "Which planet is nicknamed the Red Planet?", "Mars",
    "Mars looks reddish because of rust in its dust. Its two moons are named after companions of the god of war.",
)
BRAZIL = q("geo-1", "Which planned city became Brazil's capital in 1960?", "Brasília", "It replaced Rio de Janeiro.")
NIEMEYER = q(
    "art-1", "Which architect designed many of Brasília's main buildings?", "Oscar Niemeyer",
    "Niemeyer shaped the city's look, and Brasília was inaugurated as Brazil's capital in 1960.",
)
# Bank filler, so "capital", "planet" and the like are common words as in a real bank.
FILLER = [
    q(f"fill-{i}", f"Which capital city of country number {i} lies on a river near a planet?", f"City{i}",
      f"City{i} is the capital. The planet is far away.")
    for i in range(60)
]


def test_a_sentence_naming_the_answer_with_the_questions_own_words_is_a_give_away() -> None:
    found = pairs(find_giveaways([GOD_OF_WAR, RED_PLANET, BRAZIL, NIEMEYER, *FILLER]))
    assert ("space-1", "myth-1") in found  # "Mars ... Its moons ... god of war": the answer across two sentences
    assert ("art-1", "geo-1") in found  # "Brasília was inaugurated as Brazil's capital"


def test_coincidental_mentions_of_a_common_answer_are_quiet() -> None:
    paris = q("geo-2", "Which city is the capital of France?", "Paris", "Paris has been the capital since 987.")
    mentions = [
        q("art-2", "Which museum holds the Mona Lisa?", "The Louvre", "The Louvre in Paris opened in 1793."),
        q("sport-2", "Where were the 2024 Summer Olympics held?", "Paris", "Paris also hosted in 1900 and 1924."),
        q("food-2", "Which bread is a long thin loaf?", "Baguette", "Bakers in Paris sell millions of them a day."),
    ]
    colours = q("art-3", "Mixing blue and yellow paint gives which colour?", "Green", "Blue and yellow make green.")
    rings = q("sport-3", "How many rings has the Olympic symbol?", "Five", "The rings are blue, yellow, black, green and red.")
    four = q("sport-4", "How many gold medals did Jesse Owens win at the 1936 Berlin Olympics?", "Four", "Four: 100 m, 200 m, long jump, relay.")
    team = q("sport-5", "Which team won four Olympic gold medals in a row?", "Soviet Union", "They won four gold medals.")
    found = find_giveaways([paris, *mentions, colours, rings, four, team, *FILLER])
    assert pairs(found) == set()


def test_true_false_and_tiny_answers_are_not_checked() -> None:
    sun = q("sci-1", "The Sun is a star: true or false?", "True", "True: the Sun is a star.", ("True", "False"))
    other = q("sci-2", "Is it true that the Sun is a star of the main sequence?", "Yes", "True, the Sun is a star.", ("Yes", "No"))
    assert find_giveaways([sun, other, *FILLER]) == []


def test_warnings_point_at_the_question_to_reword() -> None:
    entries = [(GOD_OF_WAR, "myth.yaml"), (RED_PLANET, "space.yaml"), *((f, "fill.yaml") for f in FILLER)]
    problems = giveaway_problems(entries)
    assert len(problems) == 1
    problem = problems[0]
    assert problem.warning and problem.source == "space.yaml" and problem.field == "explanation"
    assert "gives away the answer to myth-1 in myth.yaml (“Mars”)" in problem.message
    # An upload is told about give-aways in either direction, always at its own questions.
    uploaded = giveaway_problems(entries, report_for="myth.yaml")
    assert [(p.source, p.field) for p in uploaded] == [("myth.yaml", "answer")]
    assert "given away by space-1 in space.yaml" in uploaded[0].message


def test_validate_reports_give_aways_across_pack_files(tmp_path: Path) -> None:
    def pack(name: str, question: Question) -> None:
        (tmp_path / f"{name}.yaml").write_text(
            f"pack: {{name: {name}}}\nquestions:\n  - id: {question.id}\n    question: \"{question.text}\"\n"
            f"    choices: {list(question.choices)}\n    answer: \"{question.answer}\"\n    category: Test\n"
            f"    explanation: \"{question.explanation}\"\n",
            encoding="utf-8",
        )

    pack("myth", GOD_OF_WAR)
    pack("space", RED_PLANET)
    report = load_packs([tmp_path])
    assert report.errors == []
    assert [str(p).split(": warning:")[0] for p in report.problems] == [f"{tmp_path / 'space.yaml'}:3:1"]  # the question's first line


def test_sentences_survive_abbreviations_and_initials() -> None:
    from bot.questions.giveaways import sentences

    assert sentences("Symphony No. 9 dates from 1824. 'Ode' is sung. J. R. R. Tolkien wrote it. Done!") == [
        "Symphony No. 9 dates from 1824.", "'Ode' is sung.", "J. R. R. Tolkien wrote it.", "Done!",
    ]
    assert sentences("John F. Kennedy died in 1963. It shocked.") == ["John F. Kennedy died in 1963.", "It shocked."]
    assert sentences("He fought Xerxes I. They held out.") == ["He fought Xerxes I.", "They held out."]
