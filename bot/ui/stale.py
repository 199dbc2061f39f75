"""What the replies say about stale settings (see :mod:`bot.game.stale_settings`): what is gone, what
games do meanwhile, and the `/trivia-settings` option an admin fixes it with."""

from __future__ import annotations

from bot.game.server_settings import ServerSettings
from bot.game.stale_settings import StaleSettings
from bot.ui.markdown import escape

MAX_NAMED = 5  # stale categories named in a note; the rest are counted
MAX_NAME = 60  # characters of each name shown (escaped)


def stale_notes(config: ServerSettings, stale: StaleSettings) -> list[str]:
    """One sentence per stale setting of ``config`` (the stored settings, stale entries included)."""
    notes = []
    if stale.starter_role_id is not None:
        notes.append(
            "The starter role in this server's trivia settings was deleted, so everyone may start games; "
            "an admin can pick another with `/trivia-settings starter_role`."
        )
    if stale.channel_ids:
        gone = len(stale.channel_ids)
        if gone == len(config.channel_ids):
            notes.append(
                "The game channels in this server's trivia settings no longer exist, so games may run in every "
                "channel; an admin can name others with `/trivia-settings game_channels`."
            )
        else:
            notes.append(
                f"{gone} of the game channels in this server's trivia settings no longer {'exists' if gone == 1 else 'exist'}; "
                "an admin can update the list with `/trivia-settings game_channels`."
            )
    if stale.categories:
        notes.append(_categories_note(config, stale.categories))
    return notes


def _categories_note(config: ServerSettings, gone: tuple[str, ...]) -> str:
    named = ", ".join(f"“{escape(c, MAX_NAME)}”" for c in gone[:MAX_NAMED])
    if len(gone) > MAX_NAMED:
        named += f" and {len(gone) - MAX_NAMED} more"
    one = len(gone) == 1
    meanwhile = "so games use every category" if len(gone) == len(config.categories) else f"games skip {'it' if one else 'them'}"
    return (
        f"The {'category' if one else 'categories'} {named} in this server's trivia settings "
        f"{'has' if one else 'have'} no questions any more ({'its' if one else 'their'} pack was removed), {meanwhile}; "
        "an admin can update them with `/trivia-settings categories` (names, or all)."
    )


def with_notes(text: str, notes: list[str]) -> str:
    """``text`` followed by the stale-settings ``notes``, each on a line of its own."""
    lines = [text] if text else []
    return "\n".join(lines + [f"⚠️ {note}" for note in notes])
