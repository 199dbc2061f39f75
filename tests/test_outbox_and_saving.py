"""What players must see and what the database must keep survive stops, refused writes and a full disk."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import sqlite3
import subprocess
from pathlib import Path

import discord
import pytest

from bot.storage.errors import StorageError
from tests.fixtures import make_server
from tests.helpers import got_it_right, letter_of, requests, shown

ANSWER = "$6 million"
POSTS = "/channels/*/messages"
UNKNOWN_REPLY = "Invalid Form Body\nIn message_reference: Unknown message"


def reveals_of(channel, question) -> list:
    return [m for m in channel.history() if m.reference is not None and m.reference.message_id == question.id]


def saved(settings) -> tuple[list[str], int, int]:
    with sqlite3.connect(settings.database) as db:
        rounds = [s for (s,) in db.execute("SELECT status FROM rounds ORDER BY id")]
        answers = db.execute("SELECT COUNT(*) FROM answers").fetchone()[0]
        unfinished = db.execute("SELECT COUNT(*) FROM games WHERE ended_at IS NULL").fetchone()[0]
    return rounds, answers, unfinished


@pytest.mark.parametrize("graceful", [False, True], ids=["crash", "shutdown"])
async def test_a_reveal_interrupted_by_a_stop_is_posted_once_at_the_next_start(simcord_env, simcord_bot, settings, make_bot, graceful):
    env = simcord_env
    s = make_server(env)
    await s.alice.slash(s.channel, "trivia", category="Current Events", seconds=20)
    question = s.channel.last_message
    await s.alice.react(question, letter_of(question, ANSWER))
    env.inject_error("POST", POSTS, status=503)
    await env.advance_time(21)  # the reveal failed once; the bot stops while it waits to try again
    assert reveals_of(s.channel, question) == []
    if graceful:
        await simcord_bot.close()  # as on SIGTERM

    await env.restart_bot(make_bot(settings))
    await env.advance_time(60)
    reveals = reveals_of(s.channel, question)
    assert len(reveals) == 1 and shown(s.alice) in got_it_right(reveals[0])
    assert saved(settings) == (["closed"], 1, 0)  # scored once, from the kept result, not read back again
    assert requests(env, "GET", r"/reactions/") == []

    await env.restart_bot(make_bot(settings))  # and never again
    await env.advance_time(60)
    assert len(reveals_of(s.channel, question)) == 1


async def test_final_standings_interrupted_by_a_stop_are_posted_once_at_the_next_start(simcord_env, simcord_bot, settings, make_bot):
    env, bot = simcord_env, simcord_bot
    s = make_server(env)
    await s.mod.slash(s.channel, "trivia-settings", break_seconds=10)
    await s.alice.slash(s.channel, "trivia", category="Current Events", questions=2, seconds=20)
    await s.alice.react(s.channel.last_message, letter_of(s.channel.last_message, ANSWER))
    end_game = bot.storage.end_game

    async def end_game_then_stop(*args):
        await end_game(*args)
        await asyncio.sleep(3600)  # the bot stops right here, as the final standings were to go up

    bot.storage.end_game = end_game_then_stop
    await env.advance_time(21 + 10)
    await env.advance_time(20.5)
    assert s.channel.last_message.embeds[0].title != "🏁 Final standings"

    await env.restart_bot(make_bot(settings))
    await env.advance_time(60)
    finals = [m for m in s.channel.history() if m.embeds and m.embeds[0].title == "🏁 Final standings"]
    assert len(finals) == 1 and "**alice**" in finals[0].embeds[0].fields[0].value
    assert saved(settings)[2] == 0  # the game is over: nothing resumed


async def test_a_question_deleted_before_its_reveal_is_voided_without_an_extra_call(simcord_env, settings):
    env = simcord_env
    s = make_server(env)
    await s.mod.slash(s.channel, "trivia-settings", break_seconds=10)
    await s.alice.slash(s.channel, "trivia", category="Current Events", questions=2, seconds=20)
    first = s.channel.last_message
    await s.alice.react(first, letter_of(first, ANSWER))
    await env.advance_time(21)
    reveal_call = requests(env, "POST", r"/messages$")[-1]
    assert reveal_call.json["message_reference"]["fail_if_not_exists"] is True
    assert requests(env, "GET", r"/messages/") == []  # a normal round reads nothing back

    await env.advance_time(10)
    second = s.channel.last_message
    await s.alice.react(second, letter_of(second, ANSWER))
    moderators = s.guild.create_role("Mods", permissions=discord.Permissions(manage_messages=True))
    await s.guild.add_member(env.create_user("moddy"), roles=[moderators]).delete(second)
    # Discord refuses a reply to a deleted message when told to (SimCord does not model this refusal).
    env.inject_error("POST", POSTS, status=400, code=50035, message=UNKNOWN_REPLY)
    await env.advance_time(21)

    assert saved(settings) == (["closed", "void"], 1, 0)
    final = s.channel.last_message.embeds[0]
    assert final.title == "🏁 Final standings" and "1 of 2 questions" in final.footer.text


async def test_refused_saves_are_retried_after_a_one_question_game_ended(simcord_env, simcord_bot, settings, make_bot):
    env = simcord_env
    refusals = 3
    real = {name: getattr(simcord_bot.storage, name) for name in ("add_announcement", "close_round", "end_game")}

    def refusing(name):
        async def write(*args, **kwargs):
            nonlocal refusals
            if refusals > 0 and name == "add_announcement":
                refusals -= 1
                raise StorageError("database or disk is full")  # fault injection
            return await real[name](*args, **kwargs)
        return write

    for name in real:
        setattr(simcord_bot.storage, name, refusing(name))
    s = make_server(env)
    await s.alice.slash(s.channel, "trivia", category="Current Events", seconds=20)
    question = s.channel.last_message
    await s.alice.react(question, letter_of(question, ANSWER))
    await env.advance_time(21)
    assert len(reveals_of(s.channel, question)) == 1 and simcord_bot.games.get(s.channel.id) is None
    assert saved(settings) == (["open"], 0, 1)  # the game is over, its saves are not

    await env.advance_time(2 + 4 + 8 + 1)
    assert saved(settings) == (["closed"], 1, 0)
    await env.restart_bot(make_bot(settings))
    await env.advance_time(30)
    assert len(reveals_of(s.channel, question)) == 1  # not revealed a second time


async def test_a_round_kept_in_the_outbox_is_saved_at_the_next_start_without_rescoring(simcord_env, simcord_bot, settings, make_bot):
    env = simcord_env

    async def refused(*args, **kwargs):
        raise StorageError("disk I/O error")  # fault injection: every close fails until the restart

    simcord_bot.storage.close_round = refused
    s = make_server(env)
    await s.alice.slash(s.channel, "trivia", category="Current Events", seconds=20)
    question = s.channel.last_message
    await s.alice.react(question, letter_of(question, ANSWER))
    await env.advance_time(21)
    assert saved(settings)[0] == ["open"]

    await env.restart_bot(make_bot(settings))
    await env.advance_time(30)
    assert len(reveals_of(s.channel, question)) == 1
    with sqlite3.connect(settings.database) as db:
        (points, ms), = db.execute("SELECT points, response_ms FROM answers").fetchall()
    assert ms < 5000 and points > 150  # the speed bonus of the answer as given, not a read-back answer's


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 2 MB tmpfs the test can fill: a real full disk."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs to fill needs root")
    mount = tmp_path / "disk"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True).returncode:
        pytest.skip("this machine does not allow mounting a tmpfs")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path) -> Path:
    filler = disk / "filler"
    try:
        with open(filler, "wb") as f:
            while True:
                f.write(b"\0" * 4096)
                f.flush()
    except OSError:  # no space left on device
        return filler


async def test_a_full_disk_costs_no_scores_and_no_second_reveal(simcord_env, settings, make_bot, small_disk):
    env = simcord_env
    on_disk = dataclasses.replace(settings, database=small_disk / "trivia.sqlite3")
    await env.restart_bot(make_bot(on_disk))
    s = make_server(env)
    await s.alice.slash(s.channel, "trivia", category="Current Events", seconds=20)
    question = s.channel.last_message
    await s.alice.react(question, letter_of(question, ANSWER))
    # A checkpointed log keeps its file's size and later commits reuse it, so a full disk alone may
    # not stop the close being saved: empty the log's file first, so the close needs space.
    with sqlite3.connect(on_disk.database) as db:
        assert db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0
    filler = fill(small_disk)
    await env.advance_time(21)
    assert len(reveals_of(s.channel, question)) == 1  # revealed although nothing could be saved
    assert saved(on_disk)[1] == 0

    filler.unlink()  # the owner frees space a little later
    await env.advance_time(2 + 4 + 8 + 16)
    assert saved(on_disk) == (["closed"], 1, 0)
    await env.restart_bot(make_bot(on_disk))
    await env.advance_time(30)
    assert len(reveals_of(s.channel, question)) == 1
