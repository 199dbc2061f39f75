"""The one "ready" log line: the bot's name, how many servers it is in, and the invite link; once."""

from __future__ import annotations

import logging

import simcord

from bot.client import invite_url


def ready_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "bot.client" and r.getMessage().startswith("ready: ")]


async def test_ready_line_names_the_bot_its_servers_and_the_invite_link_once(settings, make_bot, caplog):
    caplog.set_level(logging.INFO, logger="bot.client")
    bot = make_bot(settings)
    env = simcord.Env(bot)
    env.create_guild("Quiz Club")
    env.create_guild("Pub Quiz")
    await env.start()
    try:
        [line] = ready_lines(caplog)
        assert line == f"ready: {bot.user} in 2 servers; invite it with {invite_url(bot.application_id)}"
        await bot.get_shard(0).disconnect()
        await bot.get_shard(0).reconnect()  # Discord sends READY again
        assert len(ready_lines(caplog)) == 1
    finally:
        await env.shutdown()


def test_invite_link_asks_for_the_permissions_the_readme_lists():
    url = invite_url(1234)
    assert url.startswith("https://discord.com/oauth2/authorize?client_id=1234")
    assert "permissions=274878000192" in url and "scope=bot+applications.commands" in url
