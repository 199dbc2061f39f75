"""The storage contract: what every backend must do, checked through the Storage protocol only.

Each test runs once per backend in BACKENDS, each on a fresh database (tests/databases.py: the
PostgreSQL half is skipped, saying why, without a test server). Adding a backend is one entry there.
"""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path
from typing import AsyncIterator, Callable

import pytest

from bot.game.rounds import AskedQuestion, PlayerOutcome, RoundResult
from bot.game.server_settings import ServerSettings
from bot.questions.model import Question
from bot.storage import BoardFilter, OpenRound, Storage, StorageError, create_storage
from bot.storage.records import CustomPackRecord, HiddenPick, ScheduleRecord
from tests.databases import BACKEND_NAMES, fresh_database

GUILD, OTHER_GUILD, CHANNEL = 1001, 2002, 3003
QUESTION = Question(
    id="q-1", text="Which?", choices=("A", "B", "C", "D"), answer="A", category="Test", explanation="Because.",
)

BACKENDS = BACKEND_NAMES


@pytest.fixture(params=BACKENDS)
async def backend(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Callable[[], Storage]]:
    """Builds unopened storages of the backend under test, all on the same (fresh) database."""
    async with fresh_database(request.param, tmp_path) as database:
        yield lambda: create_storage(database)


@pytest.fixture
async def storage(backend: Callable[[], Storage]):
    store = backend()
    await store.open()
    yield store
    await store.close()


def outcome(user: int, correct: bool, points: int, response_ms: int = 1000, name: str | None = None,
            streak: int = 0) -> PlayerOutcome:
    return PlayerOutcome(user, f"user{user}" if name is None else name, 0 if correct else 1, correct, points,
                         response_ms, streak)


def result(*outcomes: PlayerOutcome, question: Question = QUESTION) -> RoundResult:
    return RoundResult(AskedQuestion(question, (0, 1, 2, 3)), tuple(outcomes))


def open_round_record(opened_at: float, guild: int = GUILD, question_id: str = "q-1", message_id: int = 1,
                      game_id: int | None = None, category: str = "") -> OpenRound:
    return OpenRound(guild, CHANNEL, message_id, question_id, (2, 0, 3, 1), 20.0, opened_at, opened_at + 20.0,
                     game_id, category=category)


async def play_round(store: Storage, opened_at: float, *outcomes: PlayerOutcome, guild: int = GUILD,
                     question_id: str = "q-1", game_id: int | None = None, category: str = "") -> int:
    round_id = await store.open_round(open_round_record(opened_at, guild, question_id, game_id=game_id, category=category))
    question = Question(id=question_id, text="Which?", choices=("A", "B", "C", "D"), answer="A", category=category or "Test")
    await store.close_round(round_id, guild, result(*outcomes, question=question), opened_at, opened_at + 20.0)
    return round_id


def ranked(rows) -> list[tuple[int, int, int]]:
    return [(r.rank, r.user_id, r.points) for r in rows]


# --- errors ------------------------------------------------------------------------------

async def test_using_an_unopened_storage_raises_storage_error(backend) -> None:
    with pytest.raises(StorageError, match="not open"):
        await backend().get_meta("x")


async def test_a_failing_write_raises_storage_error_and_leaves_nothing_behind(storage: Storage) -> None:
    round_id = await storage.open_round(open_round_record(1000.0))
    # The same player twice in one round cannot be stored: the close fails half-way through its writes.
    broken = result(outcome(1, True, 150), outcome(2, True, 140), outcome(1, False, 0))
    with pytest.raises(StorageError) as raised:
        await storage.close_round(round_id, GUILD, broken, 1000.0, 1020.0)
    assert not raised.value.busy
    assert await storage.leaderboard(GUILD) == [] and await storage.player_stats(GUILD, 2) is None
    assert await storage.question_record("q-1") == (0, 0)
    assert [r.id for r in await storage.open_rounds()] == [round_id]
    await storage.close_round(round_id, GUILD, result(outcome(1, True, 150)), 1000.0, 1020.0)  # still closable
    assert ranked(await storage.leaderboard(GUILD)) == [(1, 1, 150)]


# --- meta and settings ---------------------------------------------------------------------

async def test_meta_round_trip(storage: Storage) -> None:
    assert await storage.get_meta("k") is None
    await storage.set_meta("k", "v1")
    await storage.set_meta("k", "v2")
    assert await storage.get_meta("k") == "v2"


async def test_server_settings_default_then_saved_per_server(storage: Storage) -> None:
    defaults = ServerSettings(answer_seconds=30)
    assert await storage.server_settings(GUILD, defaults) == defaults
    custom = ServerSettings(questions_per_game=5, categories=("Space",), channel_ids=(7,), secret_answers=True)
    await storage.save_server_settings(GUILD, custom)
    await storage.save_server_settings(GUILD, custom.changed(break_seconds=10))
    assert await storage.server_settings(GUILD, defaults) == custom.changed(break_seconds=10)
    assert await storage.server_settings(OTHER_GUILD, defaults) == defaults


# --- games and rounds ----------------------------------------------------------------------

async def test_games_start_list_and_end(storage: Storage) -> None:
    first = await storage.start_game(GUILD, CHANNEL, host_id=5, questions=3, at=100.0, options='{"questions": 3}')
    second = await storage.start_game(GUILD, CHANNEL + 1, host_id=6, questions=1, at=200.0)
    other = await storage.start_game(OTHER_GUILD, CHANNEL, host_id=7, questions=2, at=300.0)
    await play_round(storage, 110.0, outcome(1, True, 150), game_id=first)
    voided = await storage.open_round(open_round_record(140.0, game_id=first, message_id=2))
    await storage.void_round(voided, 150.0)
    await storage.open_round(open_round_record(160.0, game_id=first, message_id=3))  # still open
    await storage.end_game(second, at=250.0)
    await storage.end_game(second, at=999.0)  # ending twice keeps the first end

    unfinished = await storage.unfinished_games()
    assert [g.id for g in unfinished] == [first, other]
    game = unfinished[0]
    assert (game.guild_id, game.channel_id, game.host_id, game.questions_planned, game.options) == (
        GUILD, CHANNEL, 5, 3, '{"questions": 3}')
    assert game.rounds_played == 2 and game.ended_at is None  # the closed and the void round
    assert [(g.id, g.ended_at, g.options) for g in await storage.games(GUILD)] == [
        (first, None, '{"questions": 3}'), (second, 250.0, "{}")]
    assert [g.id for g in await storage.games(OTHER_GUILD)] == [other]
    assert [(r.status, r.opened_at) for r in await storage.game_rounds(first)] == [
        ("closed", 110.0), ("void", 140.0), ("open", 160.0)]
    assert await storage.game_rounds(second) == []


async def test_open_rounds_round_trip(storage: Storage) -> None:
    game_id = await storage.start_game(GUILD, CHANNEL, host_id=5, questions=3, at=100.0)
    record = OpenRound(GUILD, CHANNEL, 777, "q-9", (3, 1, 0, 2), 15.0, 100.5, 115.5, game_id, category="Space")
    round_id = await storage.open_round(record)
    second = await storage.open_round(open_round_record(200.0, message_id=778))
    rounds = await storage.open_rounds()
    assert [r.id for r in rounds] == [round_id, second]
    first = rounds[0]
    assert first.choice_order == (3, 1, 0, 2) and isinstance(first.choice_order, tuple)
    assert (first.guild_id, first.channel_id, first.message_id, first.question_id) == (GUILD, CHANNEL, 777, "q-9")
    assert (first.seconds, first.opened_at, first.deadline, first.game_id, first.category) == (
        15.0, 100.5, 115.5, game_id, "Space")
    assert rounds[1].game_id is None
    (stored,) = await storage.game_rounds(game_id)
    assert (stored.id, stored.question_id, stored.status, stored.closed_at, stored.category) == (
        round_id, "q-9", "open", None, "Space")


async def test_close_round_stores_every_answer_and_the_names(storage: Storage) -> None:
    game_id = await storage.start_game(GUILD, CHANNEL, host_id=5, questions=1, at=999.0)
    round_id = await storage.open_round(open_round_record(1000.0, game_id=game_id))
    outcomes = (outcome(1, True, 170, 2500, streak=1), outcome(2, False, 0, 800), outcome(3, True, 150, 19000, name=""))
    await storage.close_round(round_id, GUILD, result(*outcomes), opened_at=1000.0, closed_at=1020.0)
    assert await storage.open_rounds() == []
    (stored,) = await storage.game_rounds(game_id)
    assert (stored.status, stored.closed_at) == ("closed", 1020.0)
    (saved,) = await storage.game_outcomes(game_id)
    assert sorted(saved, key=lambda o: o.user_id) == list(outcomes)
    assert await storage.question_record("q-1") == (3, 2)
    # A player without a name keeps no name; the others are named on the board.
    assert [(r.user_id, r.name) for r in await storage.leaderboard(GUILD)] == [(1, "user1"), (3, ""), (2, "user2")]


async def test_closing_a_round_twice_raises_storage_error_and_changes_nothing(storage: Storage) -> None:
    game_id = await storage.start_game(GUILD, CHANNEL, host_id=5, questions=1, at=999.0)
    round_id = await storage.open_round(open_round_record(1000.0, game_id=game_id))
    await storage.close_round(round_id, GUILD, result(outcome(1, True, 150)), 1000.0, 1020.0)
    before = await storage.game_outcomes(game_id), await storage.game_rounds(game_id)
    with pytest.raises(StorageError, match=f"round {round_id} is not open"):
        await storage.close_round(round_id, GUILD, result(outcome(1, True, 999, name="Renamed"), outcome(2, True, 150)),
                                  1000.0, 1030.0)
    assert (await storage.game_outcomes(game_id), await storage.game_rounds(game_id)) == before
    assert [(r.user_id, r.points, r.name) for r in await storage.leaderboard(GUILD)] == [(1, 150, "user1")]
    assert await storage.question_record("q-1") == (1, 1)
    await storage.set_meta("after", "ok")  # still usable: the refused close was rolled back
    assert await storage.get_meta("after") == "ok"


async def test_closing_an_unknown_round_raises_storage_error(storage: Storage) -> None:
    with pytest.raises(StorageError, match="not open"):
        await storage.close_round(12345, GUILD, result(outcome(1, True, 150)), 0.0, 1.0)


async def test_void_round(storage: Storage) -> None:
    game_id = await storage.start_game(GUILD, CHANNEL, host_id=5, questions=2, at=99.0)
    kept = await storage.open_round(open_round_record(100.0, question_id="q-kept", game_id=game_id))
    voided = await storage.open_round(open_round_record(200.0, question_id="q-void", message_id=2, game_id=game_id))
    await storage.void_round(voided, closed_at=210.0)
    assert [r.id for r in await storage.open_rounds()] == [kept]
    assert await storage.asked_questions(GUILD) == {"q-kept"}
    # A void round cannot be scored afterwards, and voiding a closed round does nothing.
    with pytest.raises(StorageError):
        await storage.close_round(voided, GUILD, result(outcome(1, True, 150)), 200.0, 220.0)
    await storage.close_round(kept, GUILD, result(outcome(1, True, 150)), 100.0, 120.0)
    await storage.void_round(kept, closed_at=999.0)
    assert [(r.id, r.status, r.closed_at) for r in await storage.game_rounds(game_id)] == [
        (kept, "closed", 120.0), (voided, "void", 210.0)]
    assert [r.points for r in await storage.leaderboard(GUILD)] == [150]
    assert len(await storage.game_outcomes(game_id)) == 1


async def test_hidden_picks_keep_each_players_latest_until_the_round_ends(storage: Storage) -> None:
    closed = await storage.open_round(open_round_record(100.0, message_id=1))
    voided = await storage.open_round(open_round_record(100.0, message_id=2))
    await storage.save_hidden_picks(closed, [HiddenPick(7, 1, 2.5, "alice"), HiddenPick(8, 0, 3.0, "bob")])
    await storage.save_hidden_picks(closed, [HiddenPick(7, 2, 4.0, "alice")])  # alice changed her mind
    await storage.save_hidden_picks(voided, [HiddenPick(9, 0, 1.0)])
    await storage.save_hidden_picks(voided, [])  # nothing to keep is harmless
    assert await storage.hidden_picks(closed) == [HiddenPick(8, 0, 3.0, "bob"), HiddenPick(7, 2, 4.0, "alice")]
    assert await storage.hidden_picks(voided) == [HiddenPick(9, 0, 1.0, "")]

    await storage.close_round(closed, GUILD, result(outcome(7, False, 0)), 100.0, 120.0)
    await storage.void_round(voided, 120.0)
    assert await storage.hidden_picks(closed) == [] and await storage.hidden_picks(voided) == []


async def test_game_outcomes_rebuild_a_game_round_by_round(storage: Storage) -> None:
    game_id = await storage.start_game(GUILD, CHANNEL, host_id=5, questions=3, at=99.0)
    await play_round(storage, 100.0, outcome(1, True, 150, streak=1), outcome(2, False, 0), game_id=game_id)
    await play_round(storage, 200.0, outcome(1, True, 165, streak=2), game_id=game_id)
    await play_round(storage, 300.0, outcome(1, True, 150), guild=OTHER_GUILD)  # another game
    rounds = await storage.game_outcomes(game_id)
    assert [[(o.user_id, o.points, o.streak) for o in sorted(r, key=lambda o: o.user_id)] for r in rounds] == [
        [(1, 150, 1), (2, 0, 0)], [(1, 165, 2)]]


async def test_last_game_id_is_the_latest_finished_game_that_scored_a_question(storage: Storage) -> None:
    assert await storage.last_game_id(GUILD) is None
    scored = await storage.start_game(GUILD, CHANNEL, host_id=5, questions=1, at=100.0)
    await play_round(storage, 110.0, outcome(1, True, 150), game_id=scored)
    assert await storage.last_game_id(GUILD) is None  # not finished yet
    await storage.end_game(scored, 130.0)
    only_void = await storage.start_game(GUILD, CHANNEL, host_id=5, questions=1, at=200.0)
    await storage.void_round(await storage.open_round(open_round_record(210.0, game_id=only_void)), 220.0)
    await storage.end_game(only_void, 230.0)
    assert await storage.last_game_id(GUILD) == scored
    assert await storage.last_game_id(OTHER_GUILD) is None


async def test_asked_questions_per_guild(storage: Storage) -> None:
    await play_round(storage, 100.0, outcome(1, True, 150), question_id="q-a")
    await storage.open_round(open_round_record(200.0, question_id="q-b"))  # still open: already asked
    await play_round(storage, 300.0, outcome(1, True, 150), guild=OTHER_GUILD, question_id="q-c")
    assert await storage.asked_questions(GUILD) == {"q-a", "q-b"}
    assert await storage.asked_questions(OTHER_GUILD) == {"q-c"}
    assert await storage.asked_questions(999) == set()


async def test_question_record_counts_every_server(storage: Storage) -> None:
    assert await storage.question_record("q-x") == (0, 0)
    await play_round(storage, 100.0, outcome(1, True, 150), outcome(2, False, 0), question_id="q-x")
    await play_round(storage, 200.0, outcome(3, False, 0), guild=OTHER_GUILD, question_id="q-x")
    await play_round(storage, 300.0, question_id="q-x")  # nobody answered: nothing to count
    assert await storage.question_record("q-x") == (3, 1)


# --- leaderboards ----------------------------------------------------------------------------

async def seed_board(store: Storage) -> int:
    """user 1: 3 answers, 2 right, 320 points; user 2: 2 answers, 2 right, 300; user 3: 1 wrong; user 4:
    1 right, 150 (rounds at 100, 200 and 300 s). Returns the game the last two rounds were part of."""
    game_id = await store.start_game(GUILD, CHANNEL, host_id=1, questions=2, at=190.0)
    await play_round(store, 100.0, outcome(1, True, 170), outcome(2, True, 150), outcome(3, False, 0))
    await play_round(store, 200.0, outcome(1, False, 0), outcome(2, True, 150), game_id=game_id)
    await play_round(store, 300.0, outcome(1, True, 150), outcome(4, True, 150), game_id=game_id)
    await play_round(store, 400.0, outcome(9, True, 5000), guild=OTHER_GUILD)
    return game_id


async def test_leaderboard_ranking_and_accuracy(storage: Storage) -> None:
    await seed_board(storage)
    board = await storage.leaderboard(GUILD)
    assert [(r.rank, r.user_id, r.name, r.points, r.correct, r.answered) for r in board] == [
        (1, 1, "user1", 320, 2, 3),
        (2, 2, "user2", 300, 2, 2),
        (3, 4, "user4", 150, 1, 1),
        (4, 3, "user3", 0, 0, 1),
    ]
    assert [r.accuracy for r in board] == [pytest.approx(2 / 3), 1.0, 1.0, 0.0]
    assert await storage.leaderboard_size(GUILD) == 4
    assert [r.user_id for r in await storage.leaderboard(OTHER_GUILD)] == [9]
    assert await storage.leaderboard(999) == [] and await storage.leaderboard_size(999) == 0


async def test_leaderboard_limit_and_offset(storage: Storage) -> None:
    await seed_board(storage)
    page = await storage.leaderboard(GUILD, limit=2, offset=1)
    assert [(r.rank, r.user_id) for r in page] == [(2, 2), (3, 4)]
    assert ranked(await storage.leaderboard(GUILD, limit=1, offset=3)) == [(4, 3, 0)]
    assert await storage.leaderboard(GUILD, limit=10, offset=4) == []


async def test_leaderboard_since_filter(storage: Storage) -> None:
    await seed_board(storage)
    recent = await storage.leaderboard(GUILD, BoardFilter(since=200.0))
    # All on 150 inside the window: user 2 reached it at 200 s, users 1 and 4 only at 300 s (then by id).
    assert [(r.rank, r.user_id, r.points, r.answered) for r in recent] == [(1, 2, 150, 1), (2, 1, 150, 2), (3, 4, 150, 1)]
    assert await storage.leaderboard_size(GUILD, BoardFilter(since=200.0)) == 3
    assert ranked(await storage.leaderboard(GUILD, BoardFilter(since=200.0), limit=1, offset=2)) == [(3, 4, 150)]
    assert await storage.leaderboard(GUILD, BoardFilter(since=10_000.0)) == []
    assert await storage.leaderboard_size(GUILD, BoardFilter(since=10_000.0)) == 0


async def test_leaderboard_game_filter(storage: Storage) -> None:
    game_id = await seed_board(storage)
    board = await storage.leaderboard(GUILD, BoardFilter(game_id=game_id))
    assert [(r.rank, r.user_id, r.points, r.correct, r.answered) for r in board] == [
        (1, 2, 150, 1, 1), (2, 1, 150, 1, 2), (3, 4, 150, 1, 1)]
    assert await storage.leaderboard_size(GUILD, BoardFilter(game_id=game_id)) == 3
    assert ranked(await storage.leaderboard(GUILD, BoardFilter(game_id=game_id), limit=2, offset=1)) == [(2, 1, 150), (3, 4, 150)]
    assert await storage.leaderboard(OTHER_GUILD, BoardFilter(game_id=game_id)) == []


async def test_leaderboard_ties_go_to_whoever_reached_the_points_first(storage: Storage) -> None:
    # Users 5 and 6 both end on 300; user 6 got there in the second round, user 5 only in the third.
    await play_round(storage, 100.0, outcome(5, True, 150), outcome(6, True, 150))
    await play_round(storage, 200.0, outcome(5, False, 0), outcome(6, True, 150))
    await play_round(storage, 300.0, outcome(5, True, 150), outcome(6, False, 0))
    assert ranked(await storage.leaderboard(GUILD)) == [(1, 6, 300), (2, 5, 300)]


async def test_leaderboard_tie_in_the_same_round_goes_to_the_faster_answer(storage: Storage) -> None:
    await play_round(storage, 100.0, outcome(8, True, 150, response_ms=4000), outcome(7, True, 150, response_ms=9000))
    assert [r.user_id for r in await storage.leaderboard(GUILD)] == [8, 7]


async def test_leaderboard_full_ties_and_zero_totals_go_by_user_id(storage: Storage) -> None:
    await play_round(storage, 100.0, outcome(12, True, 150, 500), outcome(11, True, 150, 500),
                     outcome(14, False, 0), outcome(13, False, 0))
    assert ranked(await storage.leaderboard(GUILD)) == [(1, 11, 150), (2, 12, 150), (3, 13, 0), (4, 14, 0)]


async def test_leaderboard_uses_the_latest_name(storage: Storage) -> None:
    await play_round(storage, 100.0, outcome(1, True, 150, name="Old"))
    await play_round(storage, 200.0, outcome(1, True, 150, name="New"))
    await play_round(storage, 300.0, outcome(1, True, 150, name=""))
    (row,) = await storage.leaderboard(GUILD)
    assert (row.name, row.points, row.answered) == ("New", 450, 3)


async def test_player_stats(storage: Storage) -> None:
    await play_round(storage, 100.0, outcome(1, True, 150, 2500, streak=1), outcome(2, True, 170, 900, streak=1),
                     category="Space")
    await play_round(storage, 200.0, outcome(1, True, 165, 1200, streak=2), outcome(2, False, 0, 300), category="History")
    await play_round(storage, 300.0, outcome(1, False, 0, 800), category="History")
    await play_round(storage, 400.0, outcome(1, True, 5000), guild=OTHER_GUILD)
    stats = await storage.player_stats(GUILD, 1)
    assert stats is not None
    assert (stats.user_id, stats.name, stats.points, stats.rank, stats.answered, stats.correct) == (1, "user1", 315, 1, 3, 2)
    assert (stats.best_streak, stats.fastest_correct_ms) == (2, 1200)
    assert stats.favourite_category == "History"  # one right in each: the more often answered wins
    second = await storage.player_stats(GUILD, 2)
    assert second is not None and (second.rank, second.points, second.correct, second.fastest_correct_ms) == (2, 170, 1, 900)
    assert await storage.player_stats(GUILD, 99) is None
    assert await storage.player_stats(OTHER_GUILD, 2) is None


# --- custom packs ---------------------------------------------------------------------------

async def test_custom_packs_save_replace_list_and_delete(storage: Storage) -> None:
    pack = CustomPackRecord(GUILD, "Space Facts", "questions: []", 3, uploaded_by=5, uploaded_at=100.0)
    await storage.save_custom_pack(pack)
    await storage.save_custom_pack(CustomPackRecord(GUILD, "Animals", "a: 1", 1, 6, 110.0))
    await storage.save_custom_pack(CustomPackRecord(OTHER_GUILD, "Space Facts", "x", 9, 7, 120.0))
    assert [p.name for p in await storage.custom_packs(GUILD)] == ["Animals", "Space Facts"]
    assert await storage.custom_pack(GUILD, "space facts") == pack  # names match without regard to ASCII case
    replaced = CustomPackRecord(GUILD, "SPACE FACTS", "questions: [1]", 4, 8, 200.0)
    await storage.save_custom_pack(replaced)
    assert await storage.custom_pack(GUILD, "Space Facts") == replaced
    assert [p.name for p in await storage.custom_packs(GUILD)] == ["Animals", "SPACE FACTS"]
    assert await storage.delete_custom_pack(GUILD, "space FACTS") is True
    assert await storage.delete_custom_pack(GUILD, "space facts") is False
    assert await storage.custom_pack(GUILD, "Space Facts") is None
    assert [p.question_count for p in await storage.custom_packs(OTHER_GUILD)] == [9]


# --- schedules ------------------------------------------------------------------------------

def schedule_record(next_at: float, guild: int = GUILD, title: str = "Trivia Night", **changes) -> ScheduleRecord:
    fields: dict[str, object] = {
        "guild_id": guild, "channel_id": CHANNEL, "host_id": 7, "title": title, "choices": '{"questions": 2}',
        "repeat": "weekly", "timezone": "Europe/Berlin", "local_time": "20:00", "next_at": next_at,
        "remind_at": next_at - 900.0, "event_id": 1_234_567_890_123_456_789,
    }
    return ScheduleRecord(**(fields | changes))


async def test_schedules_add_list_soonest_first_per_server_and_everyone(storage: Storage) -> None:
    later = await storage.add_schedule(schedule_record(2_000.0, title="Later"))
    sooner = await storage.add_schedule(schedule_record(1_000.0, title="Sooner", remind_at=None, event_id=None))
    elsewhere = await storage.add_schedule(schedule_record(1_500.0, guild=OTHER_GUILD))
    assert len({later, sooner, elsewhere}) == 3
    mine = await storage.schedules(GUILD)
    assert [(s.id, s.title) for s in mine] == [(sooner, "Sooner"), (later, "Later")]
    assert mine[1] == schedule_record(2_000.0, title="Later", id=later)  # every field round-trips, 64-bit ids too
    assert mine[0].remind_at is None and mine[0].event_id is None and mine[0].game_id is None
    assert [s.id for s in await storage.schedules()] == [sooner, elsewhere, later]
    assert await storage.schedules(999) == []


async def test_update_schedule_moves_its_next_night(storage: Storage) -> None:
    game_id = await storage.start_game(GUILD, CHANNEL, 7, 2, 1_000.0)
    schedule_id = await storage.add_schedule(schedule_record(1_000.0))
    [stored] = await storage.schedules(GUILD)
    playing = dataclasses.replace(stored, remind_at=None, game_id=game_id)
    assert await storage.update_schedule(playing) is True
    assert await storage.schedules(GUILD) == [playing]
    moved = dataclasses.replace(playing, next_at=605_800.0, remind_at=604_900.0, event_id=42, game_id=None)
    assert await storage.update_schedule(moved) is True
    assert await storage.schedules(GUILD) == [moved]
    assert await storage.update_schedule(dataclasses.replace(moved, id=schedule_id + 100)) is False


async def test_delete_schedule_only_in_its_own_server(storage: Storage) -> None:
    schedule_id = await storage.add_schedule(schedule_record(1_000.0))
    assert await storage.delete_schedule(OTHER_GUILD, schedule_id) is False
    assert await storage.delete_schedule(GUILD, schedule_id) is True
    assert await storage.delete_schedule(GUILD, schedule_id) is False
    assert await storage.schedules() == []


# --- persistence ------------------------------------------------------------------------------

async def test_reopening_the_same_database_keeps_the_data(backend) -> None:
    first = backend()
    await first.open()
    await seed_board(first)
    pending = await first.open_round(open_round_record(500.0, question_id="q-pending"))
    await first.set_meta("commands_hash", "abc")
    schedule_id = await first.add_schedule(schedule_record(1_000.0))
    before = await first.leaderboard(GUILD)
    await first.close()

    second = backend()
    await second.open()
    try:
        assert await second.leaderboard(GUILD) == before
        assert [r.id for r in await second.open_rounds()] == [pending]
        assert await second.get_meta("commands_hash") == "abc"
        assert await second.schedules(GUILD) == [schedule_record(1_000.0, id=schedule_id)]
        assert "q-pending" in await second.asked_questions(GUILD)
        await second.close_round(pending, GUILD, result(outcome(4, True, 200)), 500.0, 520.0)
        assert [(r.user_id, r.points) for r in await second.leaderboard(GUILD, limit=2)] == [(4, 350), (1, 320)]
    finally:
        await second.close()


async def test_two_storages_on_one_database_see_each_others_writes(backend) -> None:
    writer, reader = backend(), backend()
    await writer.open()
    await reader.open()
    try:
        await play_round(writer, 100.0, outcome(1, True, 150))
        assert ranked(await reader.leaderboard(GUILD)) == [(1, 1, 150)]
    finally:
        await reader.close()
        await writer.close()


# --- claims and the turn to identify ---------------------------------------------------------

async def test_claiming_again_or_with_shard_ids_is_harmless(storage: Storage) -> None:
    await storage.claim()
    await storage.claim([0, 1])
    await storage.set_meta("k", "v")
    assert await storage.get_meta("k") == "v"


async def hold_turns(first: Storage, second: Storage) -> list[str]:
    """``first`` holds bucket 0's turn while ``second`` takes bucket 1's, then waits for bucket 0's."""
    order: list[str] = []
    inside, release = asyncio.Event(), asyncio.Event()

    async def holder(name: str, store: Storage, bucket: int, until: asyncio.Event | None = None) -> None:
        async with store.identify_turn(bucket):
            order.append(f"{name} in")
            if until is not None:
                inside.set()
                await until.wait()
            order.append(f"{name} out")

    holding = asyncio.create_task(holder("first", first, 0, release))
    await asyncio.wait_for(inside.wait(), 30)
    await asyncio.wait_for(holder("other bucket", second, 1), 30)  # not held up by bucket 0
    waiting = asyncio.create_task(holder("same bucket", second, 0))
    for _ in range(10):  # however long it is given, it must not get in while the first holds the turn
        await asyncio.sleep(0.02)
    release.set()
    await asyncio.wait_for(asyncio.gather(holding, waiting), 30)
    return order


async def test_identify_turns_serialise_one_bucket_and_not_different_buckets(storage: Storage) -> None:
    assert await hold_turns(storage, storage) == [
        "first in", "other bucket in", "other bucket out", "first out", "same bucket in", "same bucket out",
    ]
