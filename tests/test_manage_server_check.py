"""The one Manage Server check: every command that needs the permission refuses others privately."""

from __future__ import annotations

import logging

import pytest
from discord import app_commands

from bot.ui.checks import manage_server_refusal
from tests.fixtures import make_server

SETTINGS_REFUSAL = manage_server_refusal("change trivia settings")
PACKS_REFUSAL = manage_server_refusal("manage this server's trivia packs")
PACK = b"pack: {name: P}\nquestions:\n- {id: p-1, question: Q?, choices: [A, B], answer: A, category: C, explanation: E.}\n"

# Each guarded command, the options a member would pass, and the refusal they get.
GUARDED = {
    "trivia-settings": ({"answer_seconds": 60}, SETTINGS_REFUSAL),
    "trivia-pack upload": ({"file": ("p.yaml", PACK)}, PACKS_REFUSAL),
    "trivia-pack list": ({}, PACKS_REFUSAL),
    "trivia-pack remove": ({"name": "P"}, PACKS_REFUSAL),
    "trivia-pack download": ({"name": "P"}, PACKS_REFUSAL),
}


def guarded_commands(tree: app_commands.CommandTree) -> set[str]:
    found = set()
    for command in tree.walk_commands():
        if isinstance(command, app_commands.Command) and any(
            getattr(check, "requires_manage_server", False) for check in command.checks
        ):
            found.add(command.qualified_name)
    return found


async def test_every_manage_server_command_uses_the_check(simcord_env, simcord_bot) -> None:
    # setup_hook has run: every cog is loaded.
    assert guarded_commands(simcord_bot.tree) == set(GUARDED)


@pytest.mark.parametrize("command", sorted(GUARDED))
async def test_a_plain_member_shown_the_command_gets_the_private_refusal(simcord_env, command, caplog) -> None:
    s = make_server(simcord_env)
    top = command.split()[0]
    assert command not in s.alice.available_commands(s.channel)  # Discord's default: hidden from her
    command_id = int(s.env.backend.find_command(top, s.guild.id)["id"])
    s.guild.set_command_permissions(command_id, {s.alice: True})  # an admin shows it to her anyway
    options, refusal = GUARDED[command]

    with caplog.at_level(logging.WARNING):
        refused = await s.alice.slash(s.channel, command, **options)

    assert refused.ephemeral
    assert refused.response.content == refusal
    assert refused.response.embeds == []
    assert s.channel.last_message is None or refusal not in (s.channel.last_message.content or "")
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []  # a refusal is no error
    allowed = await s.mod.slash(s.channel, command, **options)
    assert allowed.response.content != refusal
