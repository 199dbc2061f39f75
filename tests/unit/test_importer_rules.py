"""The importers judge drafts with the pack validator itself, so the two can never disagree."""

from __future__ import annotations

import pytest

from bot.importers.common import Draft, draft_problem, pack_entry
from bot.questions import limits
from bot.questions.schema import check_question_data

GOOD = Draft("Which planet is red?", "Mars", ("Mars", "Venus", "Earth"), "Space", "easy", "Iron oxide.", "https://example.org/mars")

DRAFTS = [
    GOOD,
    Draft("Which planet is red?", "Mars", ("Mars", "Venus"), "Space", "easy", "", ""),
    Draft("", "Mars", ("Mars", "Venus"), "Space"),
    Draft("Q?", "Mars", ("Mars", "mars"), "Space"),
    Draft("Q?", "Mars", ("Mars",), "Space"),
    Draft("Q?", "Mars", ("Mars", "V", "v"), "Space"),
    Draft("Q?", "Mars", ("Mars", "V"), "S" * (limits.MAX_CATEGORY + 1)),
    Draft("Q?", "Mars", ("Mars", "V"), "Space", explanation="E" * (limits.MAX_EXPLANATION + 1)),
    Draft("Q?", "Mars", ("Mars", "V"), "Space", learn_more="https://" + "x" * limits.MAX_URL),
    Draft("Q?", "Mars", ("Mars", "V"), "Space", learn_more="ftp://example.org"),
    Draft("Q?", "Mars", ("Mars", "V"), "Space", difficulty="Easy"),
]


@pytest.mark.parametrize("draft", DRAFTS)
def test_a_draft_is_skipped_exactly_when_the_validator_rejects_it(draft: Draft) -> None:
    question, problems = check_question_data(pack_entry("t-1", draft))
    rejected = any(not p.warning for p in problems)
    assert (draft_problem(draft) is not None) == rejected
    assert (question is None) == rejected


def test_skip_reasons_name_the_rule() -> None:
    assert draft_problem(GOOD) is None
    assert draft_problem(DRAFTS[3]) == "answer is also a wrong answer"
    assert draft_problem(DRAFTS[5]) == "the same wrong answer appears twice"
    assert draft_problem(DRAFTS[6]) == f"category longer than {limits.MAX_CATEGORY} characters"
    assert draft_problem(DRAFTS[7]) == f"explanation longer than {limits.MAX_EXPLANATION} characters"
    assert draft_problem(DRAFTS[8]) == draft_problem(DRAFTS[9]) == "learn_more is not a full https:// link"
    assert draft_problem(DRAFTS[10]) == "difficulty is not one of easy, medium, hard"
    assert draft_problem(Draft("Q?", "Mars", ("Mars", "\ud800"), "Space")) == "contains characters that are not valid text"
