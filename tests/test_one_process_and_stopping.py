"""One bot process per database, and SIGTERM / Ctrl-C stop the bot leaving its games to resume."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bot.stopping import stop_on_signals
from tests.fixtures import make_server
from tests.helpers import got_it_right, letter_of, saved, shown

ROOT = Path(__file__).resolve().parent.parent
FAKE_TOKEN = "MTAxMjM0NTY3ODkwMTIzNDU2Nzg5.GabcDE.abcdefghijklmnopqrstuvwxyz0123456789AB"


async def test_a_second_run_on_the_same_database_refuses_in_one_line(simcord_env, settings, tmp_path):
    make_server(simcord_env)  # the first bot runs (on SimCord) and holds the database
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "TRIVIA_"))}
    env.update(DISCORD_TOKEN=FAKE_TOKEN, TRIVIA_DATABASE=str(settings.database), PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "another trivia-night is already running on the database" in lines[0]
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
async def test_a_stop_signal_leaves_the_games_resumable_with_one_line_each(simcord_env, simcord_bot, settings, make_bot, caplog, signum):
    env = simcord_env
    s = make_server(env)
    await s.alice.slash(s.channel, "trivia", category="Current Events", seconds=30)
    question = s.channel.last_message
    await s.alice.react(question, letter_of(question, "$6 million"))
    stop_on_signals(simcord_bot)

    with caplog.at_level(logging.INFO):
        os.kill(os.getpid(), signum)
        closing: list[asyncio.Task] = []
        for _ in range(100):  # the signal arrives through the loop's wake-up pipe, outside SimCord's settle
            if closing := [t for t in asyncio.all_tasks() if t.get_name() == "stopping on a signal"]:
                break
            await asyncio.sleep(0)
        await asyncio.gather(*closing)  # closing keeps the open question's answers: a database write
        await env.settle()
    assert simcord_bot.is_closed() and len(simcord_bot.games) == 0
    assert sum("open to resume at the next start" in r.getMessage() for r in caplog.records) == 1

    await env.restart_bot(make_bot(settings))  # the next start finishes the question
    await env.advance_time(31)
    assert s.channel.last_message.reference.message_id == question.id
    assert shown(s.alice) in got_it_right(s.channel.last_message)
    assert [a.response_ms for a in (await saved(settings, s.guild.id)).answers] == [0]  # her answer kept its time


async def test_a_database_hanging_at_shutdown_does_not_hold_the_stop_up(simcord_env, simcord_bot, settings, make_bot, caplog):
    env = simcord_env
    s = make_server(env)
    await s.alice.slash(s.channel, "trivia", category="Current Events", seconds=30)
    question = s.channel.last_message
    await s.alice.react(question, letter_of(question, "$6 million"))

    async def hanging(*args):
        await asyncio.sleep(3600)  # fault injection: the database never answers

    simcord_bot.storage.save_hidden_picks = hanging
    closing = asyncio.ensure_future(simcord_bot.close())  # as the signal handler does, outside SimCord's clock
    await asyncio.wait({closing}, timeout=20)  # a generous bound: the stop gives up on the database after 3 s
    assert closing.done() and simcord_bot.is_closed()
    assert "could not keep every open question's answers" in caplog.text

    await env.restart_bot(make_bot(settings))  # the question is still finished, its answer read back
    await env.advance_time(31)
    assert shown(s.alice) in got_it_right(s.channel.last_message)
