"""SqliteStorage against a temporary database file."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import pytest

from bot.game.rounds import AskedQuestion, PlayerOutcome, RoundResult
from bot.questions.model import Question
from bot.storage import BoardFilter, DatabaseError, OpenRound, SqliteStorage
from bot.storage.migrations import MIGRATIONS
from bot.storage.records import HiddenPick

GUILD, OTHER_GUILD, CHANNEL = 1001, 2002, 3003
QUESTION = Question(
    id="q-1", text="Which?", choices=("A", "B", "C", "D"), answer="A", category="Test", explanation="Because.",
)
ASKED = AskedQuestion(QUESTION, (0, 1, 2, 3))


def outcome(user: int, correct: bool, points: int, response_ms: int = 1000, name: str | None = None) -> PlayerOutcome:
    return PlayerOutcome(user, f"user{user}" if name is None else name, 0 if correct else 1, correct, points, response_ms)


def result(*outcomes: PlayerOutcome) -> RoundResult:
    return RoundResult(ASKED, tuple(outcomes))


def open_round_record(opened_at: float, guild: int = GUILD, question_id: str = "q-1", message_id: int = 1) -> OpenRound:
    return OpenRound(guild, CHANNEL, message_id, question_id, (2, 0, 3, 1), 20.0, opened_at, opened_at + 20.0)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "sub" / "trivia.sqlite3"


@pytest.fixture
async def storage(db_path: Path):
    store = SqliteStorage(db_path)
    await store.open()
    yield store
    await store.close()


async def play_round(store: SqliteStorage, opened_at: float, *outcomes: PlayerOutcome, guild: int = GUILD,
                     question_id: str = "q-1") -> int:
    round_id = await store.open_round(open_round_record(opened_at, guild, question_id))
    await store.close_round(round_id, guild, result(*outcomes), opened_at, opened_at + 20.0)
    return round_id


def raw(path: Path, sql: str, params: tuple = ()) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute(sql, params).fetchall()


# --- opening and migrations ------------------------------------------------------------

async def test_wal_mode_is_on(storage: SqliteStorage, db_path: Path) -> None:
    async with storage.db.execute("PRAGMA journal_mode") as cursor:
        assert (await cursor.fetchone())[0] == "wal"
    assert raw(db_path, "PRAGMA journal_mode") == [("wal",)]  # persisted in the file


async def test_schema_version_is_the_number_of_migrations(storage: SqliteStorage, db_path: Path) -> None:
    assert await storage.schema_version() == len(MIGRATIONS)
    assert raw(db_path, "PRAGMA user_version") == [(len(MIGRATIONS),)]
    tables = {r[0] for r in raw(db_path, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"meta", "players", "games", "rounds", "answers"} <= tables


async def test_creates_the_parent_folder(storage: SqliteStorage, db_path: Path) -> None:
    assert db_path.is_file()


async def test_newer_database_is_refused(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    with sqlite3.connect(db_path) as conn:
        conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    store = SqliteStorage(db_path)
    with pytest.raises(DatabaseError, match="newer than this bot"):
        await store.open()
    await store.close()


async def test_using_a_closed_storage_fails_clearly(db_path: Path) -> None:
    store = SqliteStorage(db_path)
    with pytest.raises(RuntimeError, match="not open"):
        await store.get_meta("x")


async def test_meta_round_trip(storage: SqliteStorage) -> None:
    assert await storage.get_meta("k") is None
    await storage.set_meta("k", "v1")
    await storage.set_meta("k", "v2")
    assert await storage.get_meta("k") == "v2"


# --- rounds ------------------------------------------------------------------------------

async def test_open_rounds_round_trip(storage: SqliteStorage) -> None:
    game_id = await storage.start_game(GUILD, CHANNEL, host_id=5, questions=3, at=100.0)
    record = OpenRound(GUILD, CHANNEL, 777, "q-9", (3, 1, 0, 2), 15.0, 100.5, 115.5, game_id)
    round_id = await storage.open_round(record)
    second = await storage.open_round(open_round_record(200.0, message_id=778))
    rounds = await storage.open_rounds()
    assert [r.id for r in rounds] == [round_id, second]
    first = rounds[0]
    assert first.choice_order == (3, 1, 0, 2) and isinstance(first.choice_order, tuple)
    assert (first.guild_id, first.channel_id, first.message_id, first.question_id) == (GUILD, CHANNEL, 777, "q-9")
    assert (first.seconds, first.opened_at, first.deadline, first.game_id) == (15.0, 100.5, 115.5, game_id)
    assert rounds[1].game_id is None


async def test_close_round_writes_every_answer_and_the_players(storage: SqliteStorage, db_path: Path) -> None:
    round_id = await storage.open_round(open_round_record(1000.0))
    await storage.close_round(
        round_id, GUILD,
        result(outcome(1, True, 170, 2500), outcome(2, False, 0, 800), outcome(3, True, 150, 19000, name="")),
        opened_at=1000.0, closed_at=1020.0,
    )
    assert await storage.open_rounds() == []
    rows = raw(db_path, "SELECT user_id, choice, correct, points, response_ms, answered_at FROM answers "
                        "WHERE round_id = ? ORDER BY user_id", (round_id,))
    assert rows == [(1, 0, 1, 170, 2500, 1002.5), (2, 1, 0, 0, 800, 1000.8), (3, 0, 1, 150, 19000, 1019.0)]
    assert raw(db_path, "SELECT status, closed_at FROM rounds WHERE id = ?", (round_id,)) == [("closed", 1020.0)]
    # Players without a name are not stored; the others are.
    assert raw(db_path, "SELECT user_id, name FROM players ORDER BY user_id") == [(1, "user1"), (2, "user2")]


async def test_close_round_is_one_transaction(storage: SqliteStorage) -> None:
    round_id = await storage.open_round(open_round_record(1000.0))
    statements: list[str] = []
    await storage.db.set_trace_callback(statements.append)
    await storage.close_round(round_id, GUILD, result(outcome(1, True, 150), outcome(2, True, 160), outcome(3, False, 0)),
                              1000.0, 1020.0)
    await storage.db.set_trace_callback(None)
    words = [s.split()[0].upper() for s in statements]
    assert words[0] == "BEGIN" and words[-1] == "COMMIT"
    assert words.count("BEGIN") == 1 and words.count("COMMIT") == 1
    assert words.count("INSERT") >= 3  # every answer (and the players) inside that one transaction


async def test_failed_close_leaves_nothing_behind(storage: SqliteStorage, db_path: Path) -> None:
    round_id = await storage.open_round(open_round_record(1000.0))
    # The same player twice violates the answers primary key half-way through the writes.
    broken = result(outcome(1, True, 150), outcome(2, True, 140), outcome(1, False, 0))
    with pytest.raises(Exception):
        await storage.close_round(round_id, GUILD, broken, 1000.0, 1020.0)
    assert raw(db_path, "SELECT COUNT(*) FROM answers") == [(0,)]
    assert raw(db_path, "SELECT COUNT(*) FROM players") == [(0,)]
    assert raw(db_path, "SELECT status, closed_at FROM rounds WHERE id = ?", (round_id,)) == [("open", None)]
    assert [r.id for r in await storage.open_rounds()] == [round_id]
    # The round can still be closed properly afterwards.
    await storage.close_round(round_id, GUILD, result(outcome(1, True, 150)), 1000.0, 1020.0)
    assert raw(db_path, "SELECT COUNT(*) FROM answers") == [(1,)]


async def test_closing_a_round_twice_raises_and_changes_nothing(storage: SqliteStorage, db_path: Path) -> None:
    round_id = await storage.open_round(open_round_record(1000.0))
    await storage.close_round(round_id, GUILD, result(outcome(1, True, 150)), 1000.0, 1020.0)
    before = raw(db_path, "SELECT * FROM answers"), raw(db_path, "SELECT * FROM rounds"), raw(db_path, "SELECT * FROM players")
    with pytest.raises(RuntimeError, match=f"round {round_id} is not open"):
        await storage.close_round(round_id, GUILD, result(outcome(1, True, 999, name="Renamed"), outcome(2, True, 150)),
                                  1000.0, 1030.0)
    after = raw(db_path, "SELECT * FROM answers"), raw(db_path, "SELECT * FROM rounds"), raw(db_path, "SELECT * FROM players")
    assert after == before
    board = await storage.leaderboard(GUILD)
    assert [(r.user_id, r.points, r.name) for r in board] == [(1, 150, "user1")]
    # The storage is still usable: the failed transaction was rolled back.
    await storage.set_meta("after", "ok")
    assert await storage.get_meta("after") == "ok"


async def test_closing_an_unknown_round_raises(storage: SqliteStorage) -> None:
    with pytest.raises(RuntimeError, match="not open"):
        await storage.close_round(12345, GUILD, result(outcome(1, True, 150)), 0.0, 1.0)


async def test_void_round(storage: SqliteStorage, db_path: Path) -> None:
    kept = await storage.open_round(open_round_record(100.0, question_id="q-kept"))
    voided = await storage.open_round(open_round_record(200.0, question_id="q-void", message_id=2))
    await storage.void_round(voided, closed_at=210.0)
    assert [r.id for r in await storage.open_rounds()] == [kept]
    assert raw(db_path, "SELECT status, closed_at FROM rounds WHERE id = ?", (voided,)) == [("void", 210.0)]
    assert await storage.asked_questions(GUILD) == {"q-kept"}
    # A void round cannot be scored afterwards, and voiding a closed round does nothing.
    with pytest.raises(RuntimeError):
        await storage.close_round(voided, GUILD, result(outcome(1, True, 150)), 200.0, 220.0)
    await storage.close_round(kept, GUILD, result(outcome(1, True, 150)), 100.0, 120.0)
    await storage.void_round(kept, closed_at=999.0)
    assert raw(db_path, "SELECT status, closed_at FROM rounds WHERE id = ?", (kept,)) == [("closed", 120.0)]
    assert [r.points for r in await storage.leaderboard(GUILD)] == [150]


async def test_hidden_picks_keep_each_players_latest_until_the_round_ends(storage: SqliteStorage) -> None:
    closed = await storage.open_round(open_round_record(100.0, message_id=1))
    voided = await storage.open_round(open_round_record(100.0, message_id=2))
    await storage.save_hidden_pick(closed, HiddenPick(7, 1, 2.5, "alice"))
    await storage.save_hidden_pick(closed, HiddenPick(8, 0, 3.0, "bob"))
    await storage.save_hidden_pick(closed, HiddenPick(7, 2, 4.0, "alice"))  # alice changed her mind
    await storage.save_hidden_pick(voided, HiddenPick(9, 0, 1.0))
    assert await storage.hidden_picks(closed) == [HiddenPick(8, 0, 3.0, "bob"), HiddenPick(7, 2, 4.0, "alice")]

    await storage.close_round(closed, GUILD, result(outcome(7, False, 0)), 100.0, 120.0)
    await storage.void_round(voided, 120.0)
    assert await storage.hidden_picks(closed) == [] and await storage.hidden_picks(voided) == []


async def test_asked_questions_per_guild(storage: SqliteStorage) -> None:
    await play_round(storage, 100.0, outcome(1, True, 150), question_id="q-a")
    await storage.open_round(open_round_record(200.0, question_id="q-b"))  # still open: already asked
    await play_round(storage, 300.0, outcome(1, True, 150), guild=OTHER_GUILD, question_id="q-c")
    assert await storage.asked_questions(GUILD) == {"q-a", "q-b"}
    assert await storage.asked_questions(OTHER_GUILD) == {"q-c"}
    assert await storage.asked_questions(999) == set()


# --- leaderboard -------------------------------------------------------------------------

async def seed_board(store: SqliteStorage) -> None:
    # user 1: 3 answers, 2 right, 320 points; user 2: 2 answers, 2 right, 300; user 3: 1 wrong; user 4: 1 right, 150.
    await play_round(store, 100.0, outcome(1, True, 170), outcome(2, True, 150), outcome(3, False, 0))
    await play_round(store, 200.0, outcome(1, False, 0), outcome(2, True, 150))
    await play_round(store, 300.0, outcome(1, True, 150), outcome(4, True, 150))
    await play_round(store, 400.0, outcome(9, True, 5000), guild=OTHER_GUILD)


async def test_leaderboard_ranking_and_accuracy(storage: SqliteStorage) -> None:
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


async def test_leaderboard_limit_and_offset(storage: SqliteStorage) -> None:
    await seed_board(storage)
    page = await storage.leaderboard(GUILD, limit=2, offset=1)
    assert [(r.rank, r.user_id) for r in page] == [(2, 2), (3, 4)]
    assert await storage.leaderboard(GUILD, limit=10, offset=4) == []


async def test_leaderboard_since_filter(storage: SqliteStorage) -> None:
    await seed_board(storage)
    recent = await storage.leaderboard(GUILD, BoardFilter(since=200.0))
    # All on 150 inside the window: user 2 reached it at 200 s, users 1 and 4 only at 300 s (then by id).
    assert [(r.rank, r.user_id, r.points, r.answered) for r in recent] == [(1, 2, 150, 1), (2, 1, 150, 2), (3, 4, 150, 1)]
    assert await storage.leaderboard_size(GUILD, BoardFilter(since=200.0)) == 3
    assert await storage.leaderboard(GUILD, BoardFilter(since=10_000.0)) == []
    assert await storage.leaderboard_size(GUILD, BoardFilter(since=10_000.0)) == 0


async def test_leaderboard_ties_go_to_whoever_reached_the_points_first(storage: SqliteStorage) -> None:
    # Users 5 and 6 both end on 300; user 6 got there in the second round, user 5 only in the third.
    await play_round(storage, 100.0, outcome(5, True, 150), outcome(6, True, 150))
    await play_round(storage, 200.0, outcome(5, False, 0), outcome(6, True, 150))
    await play_round(storage, 300.0, outcome(5, True, 150), outcome(6, False, 0))
    board = await storage.leaderboard(GUILD)
    assert [(r.rank, r.user_id, r.points) for r in board] == [(1, 6, 300), (2, 5, 300)]


async def test_leaderboard_tie_in_the_same_round_goes_to_the_faster_answer(storage: SqliteStorage) -> None:
    await play_round(storage, 100.0, outcome(8, True, 150, response_ms=4000), outcome(7, True, 150, response_ms=9000))
    assert [r.user_id for r in await storage.leaderboard(GUILD)] == [8, 7]


async def test_leaderboard_uses_the_latest_name(storage: SqliteStorage) -> None:
    await play_round(storage, 100.0, outcome(1, True, 150, name="Old"))
    await play_round(storage, 200.0, outcome(1, True, 150, name="New"))
    await play_round(storage, 300.0, outcome(1, True, 150, name=""))
    (row,) = await storage.leaderboard(GUILD)
    assert (row.name, row.points, row.answered) == ("New", 450, 3)


# --- persistence ---------------------------------------------------------------------------

async def test_reopening_the_same_file_keeps_the_data(db_path: Path) -> None:
    first = SqliteStorage(db_path)
    await first.open()
    await seed_board(first)
    pending = await first.open_round(open_round_record(500.0, question_id="q-pending"))
    await first.set_meta("commands_hash", "abc")
    before = await first.leaderboard(GUILD)
    await first.close()

    second = SqliteStorage(db_path)
    await second.open()
    try:
        assert await second.schema_version() == len(MIGRATIONS)
        assert await second.leaderboard(GUILD) == before
        assert [r.id for r in await second.open_rounds()] == [pending]
        assert await second.get_meta("commands_hash") == "abc"
        assert "q-pending" in await second.asked_questions(GUILD)
        await second.close_round(pending, GUILD, result(outcome(4, True, 200)), 500.0, 520.0)
        assert [(r.user_id, r.points) for r in await second.leaderboard(GUILD, limit=2)] == [(4, 350), (1, 320)]
    finally:
        await second.close()


async def test_played_rounds_gives_each_scored_round_of_a_game_with_its_answers(storage: SqliteStorage) -> None:
    game = await storage.start_game(GUILD, CHANNEL, 7, 3, 1000.0)
    first = await storage.open_round(dataclasses.replace(open_round_record(1000.0, question_id="q-1"), game_id=game))
    await storage.close_round(first, GUILD, result(outcome(1, True, 150, 1200), outcome(2, False, 0)), 1000.0, 1020.0)
    voided = await storage.open_round(dataclasses.replace(open_round_record(1100.0, question_id="q-2"), game_id=game))
    await storage.void_round(voided, 1110.0)
    empty = await storage.open_round(dataclasses.replace(open_round_record(1200.0, question_id="q-3"), game_id=game))
    await storage.close_round(empty, GUILD, result(), 1200.0, 1220.0)
    await play_round(storage, 1300.0, outcome(3, True, 100))  # another game's round

    played = await storage.played_rounds(game)
    assert [p.question_id for p in played] == ["q-1", "q-3"]
    assert played[0].outcomes == (outcome(1, True, 150, 1200), outcome(2, False, 0))
    assert played[1].outcomes == ()
