"""SimCord behaviour tests for `/trivia-pack`: per-server custom question packs.

Members with Manage Server upload a YAML pack as an attachment; its questions are played only in
their server. Games here use answer times of at least 10 s and time only moves with
`env.advance_time` (SimCord lets timers with less than 5 s left fire in real time when an actor acts).
"""

from __future__ import annotations

import re

import discord
import pytest

from bot import client as bot_client
from bot.questions.custom import MAX_PACKS_PER_SERVER, MAX_QUESTIONS_PER_SERVER, MAX_UPLOAD_BYTES
from tests.fixtures import Server, make_server
from tests.helpers import choice_letters, letter_of, opened_storage, saved, shown

MOVIES = b"""pack:
  name: Movie Night
  description: Films for our server.
  author: Quiz Club
questions:
  - id: mv-titanic
    question: "Which film won the Academy Award for Best Picture in 1998?"
    choices: ["Titanic", "Good Will Hunting", "As Good as It Gets"]
    answer: "Titanic"
    category: Movies
    difficulty: easy
    explanation: "Titanic won eleven Oscars, Best Picture among them."
  - id: mv-jaws
    question: "Who directed the 1975 film Jaws?"
    choices: ["Steven Spielberg", "George Lucas"]
    answer: "Steven Spielberg"
    category: Movies
    explanation: "Jaws was Spielberg's breakthrough."
"""
MOVIE_ANSWERS = {"Titanic", "Steven Spielberg"}

BROKEN = b"""pack:
  name: Broken Pack
questions:
  - id: br-1
    question: "What colour is the sky on a clear day?"
    choices: ["Blue", "Green"]
    answer: "Blu"
    category: Nature
    explanation: "Rayleigh scattering."
  - id: br-2
    question: "How many legs has a spider?"
    choices: ["Six", "Eight"]
    answer: "Eight"
    category: Nature
    difficulty: impossible
"""

REFUSAL = "Only members with Manage Server can manage this server's trivia packs."


def generated_pack(name: str, count: int, prefix: str, category: str = "Generated", padding: int = 0) -> bytes:
    """A valid pack of ``count`` questions with ids and texts unique to ``prefix``; ``padding``
    bytes of comment make the file bigger without changing it."""
    questions = "".join(
        f'  - {{id: {prefix}-{i}, question: "{prefix} {i}?", choices: [Right, Wrong], answer: Right, '
        f"category: {category}, explanation: E}}\n"
        for i in range(count)
    )
    text = f"pack:\n  name: {name}\nquestions:\n{questions}".encode()
    return text + (b"#" + b"x" * (padding - 2) + b"\n" if padding else b"")


@pytest.fixture
def server(simcord_env) -> Server:
    return make_server(simcord_env, "Quiz Club")


async def upload(s: Server, data: bytes, filename: str = "movies.yaml", **options) -> str:
    """Upload as the moderator; the private reply's text."""
    result = await s.mod.slash(s.channel, "trivia-pack upload", file=(filename, data), **options)
    assert result.ephemeral
    return result.response.content


async def listed(s: Server) -> str:
    result = await s.mod.slash(s.channel, "trivia-pack list")
    assert result.ephemeral
    return result.response.content


async def stored(settings, *servers: Server) -> list[tuple]:
    """(server, name, questions) of the servers' stored packs, by name."""
    async with opened_storage(settings) as storage:
        packs = [p for server in servers for p in await storage.custom_packs(server.guild.id)]
    return [(p.guild_id, p.name, p.question_count) for p in sorted(packs, key=lambda p: p.name.casefold())]


def now(s: Server) -> int:
    return int(s.env.now().timestamp())


def question_text(message: discord.Message) -> str:
    match = re.match(r"\*\*(.+?)\*\*", message.embeds[0].description or "")
    assert match, "not a question embed"
    return match.group(1)


def problem_lines(content: str) -> list[str]:
    """The lines of the code block of a refusal."""
    return content.split("```")[1].strip("\n").splitlines()


# ----------------------------------------------------------------------------- upload
async def test_uploading_a_valid_pack_stores_it_and_summarises_it_privately(server, settings):
    s = server
    reply = await upload(s, MOVIES)
    assert reply == (
        "✅ Saved the pack **Movie Night**: 2 questions in 1 category (Movies). "
        "Only this server gets them: pick the category in `/trivia`."
    )
    assert await stored(settings, s) == [(s.guild.id, "Movie Night", 2)]
    assert s.channel.history(viewer=s.alice) == []  # nothing public

    categories = (await s.alice.slash(s.channel, "trivia-categories")).response.embeds[0]
    assert "**Movies** — 2 (Easy 1 · Medium 1 · Hard 0)" in categories.description.splitlines()
    assert any(f.name == "Total" and f.value.startswith("4 questions") for f in categories.fields)


async def test_a_pack_with_errors_shows_every_problem_with_its_line_and_stores_nothing(server, settings):
    s = server
    reply = await upload(s, BROKEN, filename="broken.yaml")
    assert reply.startswith("❌ `broken.yaml` was not saved: 3 problems. Fix the file and upload it again.\n```\n")
    assert problem_lines(reply) == [
        "broken.yaml:7:13: error: answer: 'Blu' is not one of the choices (it must match one exactly); did you mean 'Blue'?",
        "broken.yaml:10:5: error: explanation: missing `explanation:`",
        "broken.yaml:15:17: error: difficulty: 'impossible' is not allowed; use one of easy, medium, hard",
    ]
    assert await stored(settings, s) == []
    assert await listed(s) == "This server has no custom packs yet. Upload a YAML pack with `/trivia-pack upload`."

    not_yaml = await upload(s, b"\xff\xfe not text", filename="pack.yaml")
    assert problem_lines(not_yaml) == ["pack.yaml:1:1: error: the file is not UTF-8 text; save it as UTF-8"]


async def test_many_problems_are_cut_to_discords_2000_characters_with_a_count(server, settings):
    s = server
    questions = "".join(
        f'  - {{id: bad-{i}, question: "Bad {i}?", choices: [a, b], answer: c, category: X, explanation: E}}\n'
        for i in range(200)
    )
    reply = await upload(s, f"pack:\n  name: Bad\nquestions:\n{questions}".encode(), filename="bad.yaml")
    assert len(reply) <= 2000
    assert reply.startswith("❌ `bad.yaml` was not saved: 200 problems.")
    lines = problem_lines(reply)
    assert lines[0] == "bad.yaml:4:62: error: answer: 'c' is not one of the choices (it must match one exactly)"
    shown = len(lines) - 1
    assert 10 < shown < 200
    assert lines[-1] == f"…and {200 - shown} more"
    assert await stored(settings, s) == []


async def test_a_file_over_256_kib_is_refused_before_download_and_one_of_exactly_256_kib_is_taken(
    server, settings, monkeypatch
):
    s = server
    downloads: list[str] = []
    read = discord.Attachment.read

    async def counting_read(self, **kwargs):
        downloads.append(self.filename)
        return await read(self, **kwargs)

    monkeypatch.setattr(discord.Attachment, "read", counting_read)
    small = generated_pack("Big", 3, "big")
    exact = generated_pack("Big", 3, "big", padding=MAX_UPLOAD_BYTES - len(small))
    assert len(exact) == MAX_UPLOAD_BYTES

    refused = await upload(s, exact + b"\n", filename="big.yaml")
    assert refused == "❌ `big.yaml` is 257 KiB; a custom pack may be at most 256 KiB. Split it into smaller packs."
    assert await stored(settings, s) == [] and downloads == []  # refused from the attachment's size alone

    assert (await upload(s, exact, filename="big.yaml")).startswith("✅ Saved the pack **Big**: 3 questions")
    assert await stored(settings, s) == [(s.guild.id, "Big", 3)] and downloads == ["big.yaml"]


async def test_ids_and_questions_may_not_repeat_shipped_ones_this_servers_packs_or_each_other(server, settings):
    s = server
    shipped_id = MOVIES.replace(b"id: mv-titanic", b"id: test-deepseek")
    reply = await upload(s, shipped_id)
    assert problem_lines(reply) == [
        "movies.yaml:6:1: error: id: id 'test-deepseek' is already used in the built-in pack “Test pack”; "
        "ids must be unique across packs",
    ]
    # The same question as a shipped one, reworded only in case, spacing and punctuation.
    shipped_text = MOVIES.replace(
        b"Which film won the Academy Award for Best Picture in 1998?", b"EVERYONE: which planet is  closest to the Sun"
    )
    assert problem_lines(await upload(s, shipped_text)) == [
        "movies.yaml:6:1: error: question: the same question is already asked by test-everyone in the built-in "
        "pack “Test pack”; remove or reword one",
    ]
    twice = MOVIES.replace(b"id: mv-jaws", b"id: mv-titanic")
    assert problem_lines(await upload(s, twice)) == [
        "movies.yaml:13:1: error: id: id 'mv-titanic' is already used in movies.yaml (mv-titanic); "
        "ids must be unique across packs",
    ]
    assert await stored(settings, s) == []

    await upload(s, MOVIES)
    sequel = MOVIES.replace(b"name: Movie Night", b"name: Sequels").replace(b"mv-titanic", b"sq-titanic")
    assert problem_lines(await upload(s, sequel, filename="sequels.yaml")) == [
        "sequels.yaml:6:1: error: question: the same question is already asked by mv-titanic in this server's "
        "pack “Movie Night”; remove or reword one",
        "sequels.yaml:13:1: error: id: id 'mv-jaws' is already used in this server's pack “Movie Night”; "
        "ids must be unique across packs",
        "sequels.yaml:13:1: error: question: the same question is already asked by mv-jaws in this server's "
        "pack “Movie Night”; remove or reword one",
    ]
    assert await stored(settings, s) == [(s.guild.id, "Movie Night", 2)]


async def test_another_servers_packs_do_not_clash(server, settings):
    s = server
    other = make_server(s.env, "Other Club")
    await upload(s, MOVIES)
    assert (await upload(other, MOVIES)).startswith("✅ Saved the pack **Movie Night**")
    assert await stored(settings, s, other) == [(s.guild.id, "Movie Night", 2), (other.guild.id, "Movie Night", 2)]


async def test_uploading_an_existing_name_needs_replace(server, settings):
    s = server
    await upload(s, MOVIES)
    bigger = MOVIES.replace(b"name: Movie Night", b"name: movie night") + b"""
  - id: mv-matrix
    question: "Which actor played Neo in The Matrix?"
    choices: ["Keanu Reeves", "Tom Cruise"]
    answer: "Keanu Reeves"
    category: Sci-Fi
    explanation: "Keanu Reeves played Neo."
"""
    refused = await upload(s, bigger)  # names match without regard to case
    assert refused == (
        "❌ This server already has a pack called **Movie Night**. To overwrite it, upload again with `replace:True`."
    )
    assert await stored(settings, s) == [(s.guild.id, "Movie Night", 2)]

    # The replacement may keep the ids and questions of the pack it replaces.
    replaced = await upload(s, bigger, replace=True)
    assert replaced.startswith("✅ Replaced the pack **movie night**: 3 questions in 2 categories (Movies, Sci-Fi).")
    assert await stored(settings, s) == [(s.guild.id, "movie night", 3)]
    assert "• **movie night**: 3 questions" in await listed(s)
    assert (await s.alice.slash(s.channel, "trivia-categories")).response.embeds[0].description.count("**Sci-Fi** — 1") == 1


async def test_at_most_10_packs_and_2000_questions_per_server(server, settings):
    s = server
    assert (MAX_PACKS_PER_SERVER, MAX_QUESTIONS_PER_SERVER) == (10, 2000)
    assert (await upload(s, generated_pack("Huge", 1500, "huge"))).startswith("✅ Saved the pack **Huge**: 1,500 questions")
    refused = await upload(s, generated_pack("More", 501, "more"))
    assert refused == (
        "❌ **More** has 501 questions; with this server's other packs that makes 2,001, over the limit of 2,000. "
        "Remove a pack or upload a smaller one."
    )
    for number in range(2, 11):
        assert (await upload(s, generated_pack(f"Pack {number}", 1, f"p{number}"))).startswith("✅ Saved")
    assert len(await stored(settings, s)) == 10
    assert await upload(s, generated_pack("Pack 11", 1, "p11")) == (
        "❌ This server already has 10 custom packs, the most it may have. Remove one with `/trivia-pack remove` first."
    )
    # Replacing one of the ten is still allowed, and its own questions don't count twice.
    too_many = await upload(s, generated_pack("Huge", 1992, "huge"), replace=True)
    assert "that makes 2,001, over the limit of 2,000" in too_many
    assert (await upload(s, generated_pack("Huge", 1991, "huge"), replace=True)).startswith("✅ Replaced")
    assert len(await stored(settings, s)) == 10
    assert "10 of 10 packs, 2,000 of 2,000 questions" in await listed(s)


async def test_warnings_are_shown_with_the_summary(server):
    s = server
    no_explanation = MOVIES.replace(b'    explanation: "Jaws was Spielberg\'s breakthrough."\n', b"    explanation:\n")
    reply = await upload(s, no_explanation)
    assert reply.startswith("✅ Saved the pack **Movie Night**: 2 questions")
    warning = "movies.yaml:18:17: warning: explanation: is empty; players learn more when every answer is explained"
    assert problem_lines(reply) == [warning]

    clash = no_explanation.replace(b"id: mv-titanic", b"id: test-deepseek")
    refused = await upload(s, clash, replace=True)
    assert refused.startswith("❌ `movies.yaml` was not saved: 1 problem and 1 warning.")
    assert problem_lines(refused) == [  # in file order
        "movies.yaml:6:1: error: id: id 'test-deepseek' is already used in the built-in pack “Test pack”; "
        "ids must be unique across packs",
        warning,
    ]


# ----------------------------------------------------------------------------- list, remove, download
async def test_list_remove_and_download(server, settings):
    s = server
    assert await listed(s) == "This server has no custom packs yet. Upload a YAML pack with `/trivia-pack upload`."
    await upload(s, MOVIES)
    uploaded_at = now(s)
    await s.env.advance_time(3600)
    await upload(s, generated_pack("Animals", 3, "an", "Animals"), filename="animals.yaml")
    assert (await listed(s)).splitlines() == [
        "📦 **Custom packs on this server**: 2 of 10 packs, 5 of 2,000 questions",
        f"• **Animals**: 3 questions, uploaded by **mod** on <t:{now(s)}:D>",
        f"• **Movie Night**: 2 questions, uploaded by **mod** on <t:{uploaded_at}:D>",
    ]

    offered = await s.mod.autocomplete(s.channel, "trivia-pack download", "name", "MOV")
    assert offered == [{"name": "Movie Night", "value": "Movie Night"}]
    assert len(await s.mod.autocomplete(s.channel, "trivia-pack remove", "name", "")) == 2

    download = await s.mod.slash(s.channel, "trivia-pack download", name="movie night")
    assert download.ephemeral
    assert download.response.content == "📦 The pack **Movie Night** as stored."
    [attachment] = download.response.attachments
    assert attachment.filename == "movie-night.yaml"
    assert await attachment.read() == MOVIES

    removed = await s.mod.slash(s.channel, "trivia-pack remove", name="Movie Night")
    assert removed.ephemeral
    assert removed.response.content == "🗑️ Removed the pack **Movie Night** and its 2 questions."
    assert await stored(settings, s) == [(s.guild.id, "Animals", 3)]
    assert "Movie Night" not in await listed(s)

    unknown = "❌ There is no custom pack called “Movie Night” on this server. Its packs: **Animals**."
    again = await s.mod.slash(s.channel, "trivia-pack remove", name="Movie Night")
    assert again.ephemeral and again.response.content == unknown
    missing = await s.mod.slash(s.channel, "trivia-pack download", name="Movie Night")
    assert missing.ephemeral and missing.response.content == unknown and missing.response.attachments == []
    assert s.channel.history(viewer=s.alice) == []


async def test_removed_questions_leave_play_at_once(server):
    s = server
    await upload(s, MOVIES)
    assert "Movies" in [c["value"] for c in await s.alice.autocomplete(s.channel, "trivia", "category", "")]
    await s.mod.slash(s.channel, "trivia-pack remove", name="Movie Night")
    refused = await s.alice.slash(s.channel, "trivia", category="Movies", seconds=10)
    assert refused.ephemeral
    assert refused.response.content.startswith("There is no category called “Movies”.")
    assert "Movies" not in [c["value"] for c in await s.alice.autocomplete(s.channel, "trivia", "category", "")]


# ----------------------------------------------------------------------------- who may
async def test_only_members_with_manage_server_may_manage_packs(server, settings):
    s = server
    await upload(s, MOVIES)
    # Discord hides the command from members without Manage Server (its default permissions)...
    assert "trivia-pack upload" not in s.alice.available_commands(s.channel)
    assert "trivia-pack upload" in s.mod.available_commands(s.channel)
    # ...but an admin may override that in the server's Integrations page; the bot still refuses.
    command_id = int(s.env.backend.find_command("trivia-pack", s.guild.id)["id"])
    s.guild.set_command_permissions(command_id, {s.alice: True})
    assert "trivia-pack upload" in s.alice.available_commands(s.channel)

    attempts = [
        await s.alice.slash(s.channel, "trivia-pack upload", file=("animals.yaml", generated_pack("Animals", 1, "an"))),
        await s.alice.slash(s.channel, "trivia-pack upload", file=("movies.yaml", MOVIES), replace=True),
        await s.alice.slash(s.channel, "trivia-pack list"),
        await s.alice.slash(s.channel, "trivia-pack remove", name="Movie Night"),
        await s.alice.slash(s.channel, "trivia-pack download", name="Movie Night"),
    ]
    for refused in attempts:
        assert refused.ephemeral
        assert refused.response.content == REFUSAL
        assert refused.response.attachments == []
    assert await s.alice.autocomplete(s.channel, "trivia-pack remove", "name", "") == []
    assert await stored(settings, s) == [(s.guild.id, "Movie Night", 2)]


# ----------------------------------------------------------------------------- games
async def play_movie_round(s: Server) -> discord.Message:
    """Alice starts a one-question Movies game and answers it right; returns the reveal."""
    started = await s.alice.slash(s.channel, "trivia", category="movies", seconds=10)
    assert not started.ephemeral
    question = s.channel.last_message
    assert question_text(question) in {
        "Which film won the Academy Award for Best Picture in 1998?", "Who directed the 1975 film Jaws?"
    }
    right = next(text for text in choice_letters(question) if text in MOVIE_ANSWERS)
    await s.alice.react(question, letter_of(question, right))
    await s.env.advance_time(11)
    reveal = s.channel.last_message
    assert reveal.reference.message_id == question.id
    assert reveal.embeds[0].title.endswith(f"{right} — Movies")
    assert shown(s.alice) in next(f.value for f in reveal.embeds[0].fields if f.name == "Got it right")
    return reveal


async def test_custom_questions_are_played_only_in_their_server_and_survive_a_restart(server, settings, make_bot):
    s = server
    other = make_server(s.env, "Other Club")
    await upload(s, MOVIES)

    await play_movie_round(s)

    refused = await other.alice.slash(other.channel, "trivia", category="Movies", seconds=10)
    assert refused.ephemeral
    assert refused.response.content.startswith("There is no category called “Movies”.")
    assert "Movies" not in [c["value"] for c in await other.alice.autocomplete(other.channel, "trivia", "category", "")]
    other_categories = (await other.alice.slash(other.channel, "trivia-categories")).response.embeds[0]
    assert "Movies" not in other_categories.description
    settings_refused = await other.mod.slash(other.channel, "trivia-settings", categories="Movies")
    assert settings_refused.response.content.startswith("Not changed: there is no category called “Movies”")
    # A game without a category in the other server never draws them either.
    for _ in range(4):
        await other.alice.slash(other.channel, "trivia", seconds=10)
        assert question_text(other.channel.last_message).startswith(("For approximately", "@\u200beveryone"))  # shown, never a mention
        await other.env.advance_time(11)

    await s.env.restart_bot(make_bot(settings))
    await play_movie_round(s)
    assert (await s.mod.slash(s.channel, "trivia-settings", categories="movies")).response.content == "Settings updated."
    board = (await s.alice.slash(s.channel, "leaderboard")).response.embeds[0].description
    assert "2/2 correct" in board


async def test_answer_statistics_of_custom_questions_are_kept_per_server(server, settings):
    s = server
    other = make_server(s.env, "Other Club")
    await upload(s, MOVIES)
    await upload(other, MOVIES)  # the same ids in two servers
    await play_movie_round(s)
    await play_movie_round(other)
    ids = [r.question_id for server in (s, other) for r in (await saved(settings, server.guild.id)).rounds]
    # One question per server: the same pack id in two servers is two questions to the statistics.
    assert sorted(i.split("/")[0] for i in ids) == sorted([f"guild-{s.guild.id}", f"guild-{other.guild.id}"])
    assert all(i.split("/")[1] in {"mv-titanic", "mv-jaws"} for i in ids)
    async with opened_storage(settings) as storage:
        assert [await storage.question_record(i) for i in ids] == [(1, 1), (1, 1)]  # each counted on its own


async def test_a_custom_question_open_at_a_restart_is_finished(server, settings, make_bot):
    s = server
    await upload(s, MOVIES)
    await s.alice.slash(s.channel, "trivia", category="Movies", seconds=60)
    question = s.channel.last_message
    right = next(text for text in choice_letters(question) if text in MOVIE_ANSWERS)
    await s.alice.react(question, letter_of(question, right))
    await s.env.advance_time(10)

    await s.env.restart_bot(make_bot(settings))
    await s.env.advance_time(51)
    reveal = s.channel.last_message
    assert reveal.reference.message_id == question.id
    assert shown(s.alice) in next(f.value for f in reveal.embeds[0].fields if f.name == "Got it right")
    assert (await saved(settings, s.guild.id)).statuses == ["closed"]


async def test_a_servers_custom_packs_are_parsed_again_only_when_they_change(server, simcord_bot, monkeypatch):
    """Reloading the shipped packs forgets every server's bank, but not the questions of unchanged packs."""
    s, bot = server, simcord_bot
    parsed: list[int] = []
    real = bot_client.server_questions
    monkeypatch.setattr(bot_client, "server_questions", lambda guild_id, packs: parsed.append(guild_id) or real(guild_id, packs))
    await upload(s, MOVIES)
    assert {q.text for q in await bot.bank_for(s.guild.id)} >= {"Who directed the 1975 film Jaws?"}
    assert parsed == [s.guild.id]

    bot.reload_questions()
    assert {q.text for q in await bot.bank_for(s.guild.id)} >= {"Who directed the 1975 film Jaws?"}
    assert parsed == [s.guild.id]  # same packs: not parsed again

    await upload(s, MOVIES.replace(b"Who directed the 1975 film Jaws?", b"Who directed Jaws (1975)?"), replace=True)
    texts = {q.text for q in await bot.bank_for(s.guild.id)}
    assert "Who directed Jaws (1975)?" in texts and "Who directed the 1975 film Jaws?" not in texts
    assert parsed == [s.guild.id, s.guild.id]
