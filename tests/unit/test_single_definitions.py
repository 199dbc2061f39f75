"""Each rule is written once: end reasons, setting ranges, difficulties and answer modes."""

from __future__ import annotations

import json

from bot.game.options import EndReason, GameOptions
from bot.game.standings import GameStandings
from bot.ui.embeds import ENDINGS
from bot.ui.finale import Night, final_standings_embed


def test_every_end_reason_has_a_closing_line() -> None:
    assert set(ENDINGS) == set(EndReason)
    for reason in EndReason:
        embed = final_standings_embed(Night(GameStandings(), 3, reason, 42, "dave"))
        assert ENDINGS[reason].format(host="**dave**") in (embed.description or "")


def test_options_saved_by_earlier_versions_still_load() -> None:
    saved = json.dumps({
        "questions": 5, "seconds": 30, "break_seconds": 2, "categories": ["Space"], "difficulty": "hard",
        "first_pick_locks": True, "secret_answers": False, "speed_bonus": False, "auto_stop": 4,
    })
    options = GameOptions.from_json(saved)
    assert options == GameOptions(5, 30, 2, ("Space",), "hard", True, False, False, 4)
    assert GameOptions.from_json(options.to_json()) == options


def test_ranges_carry_their_option_descriptions() -> None:
    from bot.game.server_settings import RANGES

    assert RANGES["answer_seconds"].help == "Default answer time, 5-120 seconds"
    assert RANGES["questions_per_game"].help == "Questions in a game when /trivia doesn't say, 1-50"
    assert all(allowed.description and allowed.low <= allowed.high for allowed in RANGES.values())


def test_settings_command_describes_ranges_from_the_table() -> None:
    from bot.game.server_settings import ANSWER_MODES, RANGES
    from cogs.settings import Settings

    command = Settings.trivia_settings
    params = {p.name: p for p in command.parameters}
    for name, allowed in RANGES.items():
        assert params[name].description == allowed.help
    assert [c.value for c in params["answer_mode"].choices] == list(ANSWER_MODES) == ["latest", "first"]


def test_difficulties_are_defined_once() -> None:
    from bot.constants import DIFFICULTY_LABELS
    from bot.questions.model import DIFFICULTIES

    assert DIFFICULTIES == ("easy", "medium", "hard")
    assert DIFFICULTY_LABELS == {"easy": "Easy", "medium": "Medium", "hard": "Hard"}
