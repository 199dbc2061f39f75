"""The one shortening rule (bot/ui/limits.py) and the one escape (bot/ui/markdown.py)."""

from __future__ import annotations

import pytest

from bot.ui.limits import AUTOCOMPLETE_CHOICES, CHOICE_NAME, autocomplete, fit_lines, shorten
from bot.ui.markdown import ECHOED, echoed, escape
from tests.helpers import message_limit_problems


def test_text_that_fits_is_left_alone():
    assert shorten("Quiz Club", 9) == "Quiz Club"
    assert shorten("", 1) == ""


def test_a_cut_ends_with_an_ellipsis_within_the_limit():
    assert shorten("abcdefghij", 5) == "abcd…"
    assert shorten("word word word", 11) == "word word…"  # no space left before the ellipsis


@pytest.mark.parametrize("limit", range(2, 40))
def test_a_cut_never_splits_an_escape(limit):
    shown = escape("*_~|" * 10)
    cut = shorten(shown, limit)
    assert len(cut) <= limit and cut.endswith("…")
    body = cut[:-1]
    assert len(body) % 2 == 0 and set(body[::2]) <= {"\\"}  # whole pairs only: \\*, \\_, …


@pytest.mark.parametrize(
    "token", ["<@123456789012345678>", "<@&123456789012345678>", "<#123456789012345678>", "<t:1767225600:R>", "<:party:123456789>"]
)
def test_a_cut_never_splits_a_mention_a_timestamp_or_an_emoji(token):
    text = f"Hello {token} and more words after it"
    for limit in range(len("Hello ") + 2, len("Hello ") + len(token)):
        assert shorten(text, limit) == "Hello…"
    assert shorten(text, len("Hello ") + len(token) + 1) == f"Hello {token}…"


def test_a_cut_keeps_combined_characters_whole():
    assert shorten("cafe\u0301s", 5) == "caf…"  # the accent stays with its e
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert shorten(f"ab{family}cd", 5) == "ab…"


def test_whole_lines_fit_with_a_count_of_the_rest():
    lines = [f"line {n}" for n in range(100)]
    fitted = fit_lines(lines, 60)
    assert len(fitted) <= 60
    shown = fitted.splitlines()
    assert shown[:-1] == lines[: len(shown) - 1]
    assert shown[-1] == f"…and {100 - (len(shown) - 1)} more"
    assert fit_lines(lines[:3], 60) == "line 0\nline 1\nline 2"


def test_a_first_line_too_long_on_its_own_is_shortened():
    assert fit_lines(["x" * 50], 20) == "x" * 19 + "…"
    fitted = fit_lines(["x" * 50, "y"], 20, ", ")
    assert fitted == "x" * 6 + "…, …and 1 more" and len(fitted) == 20


def test_autocomplete_offers_at_most_25_short_enough_choices():
    offered = autocomplete((f"{n} " + "n" * 200, f"value {n}") for n in range(40))
    assert len(offered) == AUTOCOMPLETE_CHOICES
    assert all(len(c.name) <= CHOICE_NAME and c.name.endswith("…") for c in offered)
    assert [c.value for c in offered] == [f"value {n}" for n in range(25)]
    assert [c.value for c in autocomplete([("too long", "v" * 101), ("fine", "v"), ("id", 7)])] == ["v", 7]


def test_escape_shows_markdown_as_typed_and_pings_nobody():
    assert escape("**__~~||`x`\\") == "\\*\\*\\_\\_\\~\\~\\|\\|\\`x\\`\\\\"
    assert escape("@everyone and @here") == "@\u200beveryone and @\u200bhere"
    assert escape("<@123456789012345678> <@&123456789012345678> <#123456789012345678>") == (
        "<@\u200b123456789012345678> <@\u200b&123456789012345678> <#\u200b123456789012345678>"
    )
    assert escape("*" * 100, 11) == "\\*" * 5 + "…"


def test_what_a_member_typed_is_echoed_escaped_and_short():
    echo = echoed("  " + "_" * 2000 + "  ")
    assert len(echo) <= ECHOED and echo == "\\_" * 49 + "…"  # the cut falls between two escapes


def test_the_limits_check_of_the_tests_finds_every_kind_of_overflow():
    """The test helper itself: every limit it knows is checked (else the behaviour tests prove nothing)."""
    fitting = {"title": "t" * 256, "description": "d" * 4096, "footer": {"text": "f" * 1000}, "fields": [{"name": "n", "value": "v" * 600}]}
    assert message_limit_problems("c" * 2000, [fitting], []) == []
    assert message_limit_problems("c" * 2001, [], []) == ["content: 2001 characters, over 2000"]
    assert message_limit_problems(None, [{"title": "t" * 257}], []) == ["embed 0 title: 257 characters, over 256"]
    assert message_limit_problems(None, [{"fields": [{"name": "n", "value": "v" * 1025}]}], []) == [
        "embed 0 field 0 value: 1025 characters, over 1024"
    ]
    assert message_limit_problems(None, [{"fields": [{"name": "n", "value": "v"}] * 26}], []) == ["embed 0: 26 fields, over 25"]
    assert message_limit_problems(None, [fitting, fitting], []) == ["embeds: 11906 characters in all, over 6000"]
    button = {"type": 1, "components": [{"type": 2, "label": "l" * 81, "custom_id": "c" * 101}]}
    assert message_limit_problems(None, [], [button]) == [
        "button label: 81 characters, over 80", "custom id: 101 characters, over 100"
    ]
