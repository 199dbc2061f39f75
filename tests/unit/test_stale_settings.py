"""Stale settings without Discord: what is found stale, the settings games follow, and the notes' length."""

from __future__ import annotations

from bot.game.server_settings import ServerSettings
from bot.game.stale_settings import NOTHING_STALE, StaleSettings, find_stale, in_force
from bot.ui.stale import MAX_NAMED, stale_notes

CONFIG = ServerSettings(starter_role_id=7, channel_ids=(1, 2), categories=("Space", "Movies"))


def test_only_what_no_longer_exists_is_stale_and_the_rest_stays_in_force():
    stale = find_stale(
        CONFIG, role_exists=lambda role: False, channel_exists=lambda channel: channel == 2,
        category_exists=lambda name: name == "Space",
    )
    assert stale == StaleSettings(starter_role_id=7, channel_ids=(1,), categories=("Movies",))
    assert in_force(CONFIG, stale) == CONFIG.changed(starter_role_id=None, channel_ids=(2,), categories=("Space",))


def test_nothing_stale_changes_nothing():
    found = find_stale(CONFIG, role_exists=lambda r: True, channel_exists=lambda c: True, category_exists=lambda n: True)
    assert found == NOTHING_STALE and not found
    assert in_force(CONFIG, found) is CONFIG
    assert stale_notes(CONFIG, found) == []


def test_a_note_names_a_few_stale_categories_escaped_and_counts_the_rest():
    names = tuple(f"*Pack {i}*" + "x" * 200 for i in range(40))
    config = ServerSettings(categories=names)
    [note] = stale_notes(config, StaleSettings(categories=names))
    assert note.count("“") == MAX_NAMED and f"and {40 - MAX_NAMED} more" in note
    assert "\\*Pack 0\\*" in note and "*Pack 0*" not in note
    assert len(note) < 1024  # fits an embed field
