"""A process that runs a slice of the gateway shards plays, resumes and schedules only its own servers.

One SimCord world stands for Discord; `env.restart_bot` onto a bot that runs other shard ids is a
shard moving to another process of the cluster (the database file is the one they share).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import discord
import pytest

from bot import Settings
from tests.conftest import TEST_PACKS
from tests.helpers import letter_of, requests, saved

ANSWER = "$6 million"


pytestmark = pytest.mark.both_backends  # a cluster shares PostgreSQL; one process may still slice its shards on SQLite


@pytest.fixture
def settings(database: Path | str) -> Settings:
    """Two shards, both run by the first bot."""
    return Settings(database=database, questions_dir=TEST_PACKS, shard_count=2)


def server_on_shard(env, shard_id: int):
    guild = env.create_guild(f"Shard {shard_id} club", shard_id=shard_id)
    channel = guild.create_text_channel("trivia")
    hosts = guild.create_role("Hosts", permissions=discord.Permissions(manage_guild=True, manage_events=True))
    return channel, guild.add_member(env.create_user(f"host{shard_id}"), roles=[hosts])


def on_shards(settings: Settings, *shard_ids: int, **changes) -> Settings:
    return dataclasses.replace(settings, shard_ids=shard_ids, **changes)


async def test_a_shard_moved_to_another_process_resumes_there_and_only_there(simcord_env, settings, make_bot):
    env = simcord_env
    (zero, host0), (one, host1) = server_on_shard(env, 0), server_on_shard(env, 1)
    await host0.slash(zero, "trivia", category="Current Events", seconds=60)
    await host1.slash(one, "trivia", category="Current Events", seconds=60)
    question0, question1 = zero.last_message, one.last_message
    await host0.react(question0, letter_of(question0, ANSWER))
    await host1.react(question1, letter_of(question1, ANSWER))

    await env.restart_bot(make_bot(on_shards(settings, 1)))  # this process now runs shard 1 only
    await env.advance_time(61)
    assert one.last_message.reference.message_id == question1.id  # shard 1's game was resumed and revealed
    assert zero.last_message.id == question0.id  # shard 0's game is not this process's: left as it was
    assert (await saved(settings, zero.guild.id)).statuses == ["open"]

    await env.restart_bot(make_bot(on_shards(settings, 0)))  # shard 0 moved to this process
    reveal = zero.last_message
    assert reveal.reference.message_id == question0.id
    assert (await saved(settings, zero.guild.id)).statuses == ["closed"]
    assert (await saved(settings, one.guild.id)).statuses == ["closed"]  # revealed once, by its own process
    assert len([m for m in one.history() if m.reference is not None]) == 1


async def test_only_the_process_running_shard_zero_syncs_commands(simcord_env, settings, make_bot):
    env = simcord_env
    synced = len(requests(env, "PUT", r"/applications/\d+/commands$"))
    await env.restart_bot(make_bot(on_shards(settings, 1, force_sync=True)))
    assert len(requests(env, "PUT", r"/applications/\d+/commands$")) == synced
    await env.restart_bot(make_bot(on_shards(settings, 0, force_sync=True)))
    assert len(requests(env, "PUT", r"/applications/\d+/commands$")) == synced + 1


async def test_scheduled_nights_start_only_in_the_process_running_their_server(simcord_env, settings, make_bot):
    env = simcord_env
    (zero, host0), (one, host1) = server_on_shard(env, 0), server_on_shard(env, 1)
    for channel, host in ((zero, host0), (one, host1)):
        reply = await host.slash(channel, "trivia-schedule add", when="in 10m", questions=1, seconds=20)
        assert reply.ephemeral
    await env.restart_bot(make_bot(on_shards(settings, 1)))
    await env.advance_time(11 * 60)
    assert (await saved(settings, one.guild.id)).games, "shard 1's night started"
    assert not (await saved(settings, zero.guild.id)).games, "shard 0's night waits for the process running shard 0"

    await env.restart_bot(make_bot(on_shards(settings, 0)))
    await env.advance_time(1)
    assert (await saved(settings, zero.guild.id)).games
