"""Running totals: boards served from them, and each player's /trivia-stats records, equal a
recomputation from every stored answer, after random games with voided rounds and restarts, and after
rebuild_totals (and the CLI command); every page and rank of a board full of ties; a round across
midnight split between its days."""

from __future__ import annotations

import random
import subprocess
import sys
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

from bot.game.periods import BUCKET_PERIODS, Period, period_start
from bot.game.rounds import AskedQuestion, PlayerOutcome, RoundResult
from bot.game.standings import rank_key
from bot.questions.model import Question
from bot.storage import BoardFilter, OpenRound, create_storage
from tests.contract.test_storage_contract import BACKENDS, backend  # noqa: F401  (the backend fixture)

GUILDS = (11, 22)
DAY = 86400.0


def recompute(answers: list[tuple], guild_id: int, keep) -> list[tuple[int, int, int, int]]:
    """The board by the ranking rule, from (guild, game, at, user, points, correct) answers."""
    points: dict[int, int] = defaultdict(int)
    correct: dict[int, int] = defaultdict(int)
    answered: dict[int, int] = defaultdict(int)
    reached: dict[int, float] = {}
    for guild, game, at, user, pts, right in answers:
        if guild != guild_id or not keep(game, at):
            continue
        points[user] += pts
        correct[user] += right
        answered[user] += 1
        if pts > 0:
            reached[user] = max(reached.get(user, at), at)
    order = sorted(points, key=lambda u: rank_key(points[u], reached.get(u), u))
    return [(u, points[u], correct[u], answered[u]) for u in order]


async def check_boards(storage, answers: list[tuple], games: dict[int, list[int]], now: datetime) -> None:
    for guild_id in GUILDS:
        filters = [(BoardFilter(), lambda game, at: True)]
        for period in BUCKET_PERIODS:
            start = period_start(period, now)
            filters.append((BoardFilter(since=start, period=period), lambda game, at, start=start: at >= start))
        for game_id in games[guild_id]:
            filters.append((BoardFilter(game_id=game_id), lambda game, at, game_id=game_id: game == game_id))
        for board, keep in filters:
            expected = recompute(answers, guild_id, keep)
            rows = await storage.leaderboard(guild_id, board, limit=1000)
            assert [(r.user_id, r.points, r.correct, r.answered) for r in rows] == expected, board
            assert await storage.leaderboard_size(guild_id, board) == len(expected)
            page = await storage.leaderboard(guild_id, board, limit=3, offset=2)
            assert [(r.rank, r.user_id) for r in page] == [(i + 3, e[0]) for i, e in enumerate(expected[2:5])]
        everyone = recompute(answers, guild_id, lambda game, at: True)
        for rank, (user, pts, right, count) in enumerate(everyone, start=1):
            stats = await storage.player_stats(guild_id, user)
            assert stats is not None and (stats.rank, stats.points, stats.correct, stats.answered) == (rank, pts, right, count)


async def check_records(storage, records: list[tuple]) -> None:
    """Each player's best streak, fastest right answer and favourite category (most right, then most
    answered, then by name; rounds without a category left out), from (guild, user, ms, streak, right,
    category) answers."""
    for guild_id in GUILDS:
        mine: dict[int, list[tuple]] = defaultdict(list)
        for guild, user, *answer in records:
            if guild == guild_id:
                mine[user].append(answer)
        for user, answers in mine.items():
            right = [ms for ms, _, was_right, _ in answers if was_right]
            tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
            for _, _, was_right, category in answers:
                if category:
                    tally[category][0] += was_right
                    tally[category][1] += 1
            favourite = min(tally, key=lambda c: (-tally[c][0], -tally[c][1], c), default=None)
            stats = await storage.player_stats(guild_id, user)
            assert stats is not None
            assert (stats.best_streak, stats.fastest_correct_ms, stats.favourite_category) == (
                max(streak for _, streak, _, _ in answers), min(right, default=None), favourite), (guild_id, user)


async def test_totals_equal_the_recomputation_after_random_games_voids_and_restarts(backend, tmp_path: Path) -> None:  # noqa: F811
    rng = random.Random(20261202)
    answers: list[tuple] = []
    records: list[tuple] = []
    games: dict[int, list[int]] = {g: [] for g in GUILDS}
    now_ts = datetime(2026, 12, 2, 18, 0, tzinfo=timezone.utc).timestamp()  # a Wednesday
    question = Question(id="q", text="Which?", choices=("A", "B", "C", "D"), answer="A", category="Test")
    asked = AskedQuestion(question, (0, 1, 2, 3))
    storage = backend()
    await storage.open()
    try:
        for night in range(24):
            if night % 6 == 5:  # a restart: the same database opened afresh
                await storage.close()
                storage = backend()
                await storage.open()
            guild = rng.choice(GUILDS)
            start = now_ts - rng.uniform(0, 40 * DAY)  # this day, week, month and before
            game_id = await storage.start_game(guild, 1, 1, 5, start)
            games[guild].append(game_id)
            for number in range(rng.randint(1, 5)):
                opened = start + number * 60
                category = rng.choice(["Science", "History", "Art", ""])
                round_id = await storage.open_round(
                    OpenRound(guild, 1, number, "q", (0, 1, 2, 3), 20, opened, opened + 20, game_id, category=category))
                if rng.random() < 0.2:
                    await storage.void_round(round_id, opened + 20)
                    continue
                players = rng.sample(range(100, 112), rng.randint(0, 8))
                outcomes = []
                for user in players:
                    right = rng.random() < 0.5
                    points = rng.choice([150, 160, 170]) if right else 0
                    ms = rng.choice([0, 500, 500, 2000, 9000])  # repeated times: ties settled by user id
                    streak = rng.randint(1, 6) if right else 0
                    outcomes.append(PlayerOutcome(user, f"u{user}", 0 if right else 1, right, points, ms, streak))
                    answers.append((guild, game_id, opened + ms / 1000, user, points, int(right)))
                    records.append((guild, user, ms, streak, int(right), category))
                await storage.close_round(round_id, guild, RoundResult(asked, tuple(outcomes)), opened, opened + 20)
            await storage.end_game(game_id, start + 600)

        now = datetime.fromtimestamp(now_ts, timezone.utc)
        await check_boards(storage, answers, games, now)
        await check_records(storage, records)
        await storage.rebuild_totals()
        await check_boards(storage, answers, games, now)
        await check_records(storage, records)
    finally:
        await storage.close()


async def test_the_rebuild_totals_command(tmp_path: Path) -> None:
    path = tmp_path / "t.sqlite3"
    storage = create_storage(path)
    await storage.open()
    question = Question(id="q", text="Which?", choices=("A", "B", "C", "D"), answer="A", category="Test")
    round_id = await storage.open_round(OpenRound(GUILDS[0], 1, 1, "q", (0, 1, 2, 3), 20, 1000.0, 1020.0))
    await storage.close_round(round_id, GUILDS[0], RoundResult(AskedQuestion(question, (0, 1, 2, 3)), (
        PlayerOutcome(7, "ann", 0, True, 150, 100),)), 1000.0, 1020.0)
    before = await storage.leaderboard(GUILDS[0])
    await storage.close()
    done = subprocess.run([sys.executable, "-m", "bot", "rebuild-totals", "--database", f"sqlite:///{path}"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Rebuilt 4 leaderboard totals" in done.stdout  # all-time, month, week, day (no game)
    storage = create_storage(path)
    await storage.open()
    try:
        assert await storage.leaderboard(GUILDS[0]) == before
        assert await storage.leaderboard(GUILDS[0], BoardFilter(since=period_start(Period.TODAY, datetime.fromtimestamp(1000.5, timezone.utc)), period=Period.TODAY)) == before
    finally:
        await storage.close()


async def test_every_page_and_rank_of_a_board_full_of_ties_follows_the_ranking_rule(backend) -> None:  # noqa: F811
    """Deep pages and ranks are read from the ranking index: paging through a board where most players
    tie on points and on the time they reached them (and many never scored) gives the recomputed
    board, page after page, and each player's own row and stats carry their place in it."""
    rng = random.Random(11)
    guild, opened = GUILDS[0], datetime(2026, 12, 2, 18, 0, tzinfo=timezone.utc).timestamp()
    question = Question(id="q", text="Which?", choices=("A", "B", "C", "D"), answer="A", category="Test")
    answers: list[tuple] = []
    storage = backend()
    await storage.open()
    try:
        game_id = await storage.start_game(guild, 1, 1, 3, opened)
        for number in range(3):
            at = opened + number * 60
            round_id = await storage.open_round(OpenRound(guild, 1, number, "q", (0, 1, 2, 3), 20, at, at + 20, game_id))
            outcomes = []
            for user in rng.sample(range(1000, 1060), 45):
                right = rng.random() < 0.4
                ms = rng.choice([0, 1000])  # one of two times: most ties are settled by user id
                outcomes.append(PlayerOutcome(user, f"u{user}", 0 if right else 1, right, 150 if right else 0, ms))
                answers.append((guild, game_id, at + ms / 1000, user, 150 if right else 0, int(right)))
            await storage.close_round(round_id, guild, RoundResult(AskedQuestion(question, (0, 1, 2, 3)), tuple(outcomes)), at, at + 20)
        await storage.end_game(game_id, opened + 600)

        for board in (BoardFilter(), BoardFilter(game_id=game_id)):
            expected = recompute(answers, guild, lambda game, at: True)
            paged = []
            for offset in range(0, len(expected) + 7, 7):
                page = await storage.leaderboard(guild, board, limit=7, offset=offset)
                assert [r.rank for r in page] == list(range(offset + 1, offset + 1 + len(page)))
                paged += page
            assert [(r.user_id, r.points, r.correct, r.answered) for r in paged] == expected, board
            for row in paged:
                assert await storage.leaderboard_row(guild, row.user_id, board) == row
        for rank, (user, *_) in enumerate(expected, start=1):
            stats = await storage.player_stats(guild, user)
            assert stats is not None and stats.rank == rank
    finally:
        await storage.close()


async def test_a_round_across_midnight_files_each_answer_under_its_own_day_week_and_month(backend) -> None:  # noqa: F811
    opened = datetime(2026, 11, 30, 23, 59, 58, tzinfo=timezone.utc).timestamp()  # a Monday, the month's last day
    question = Question(id="q", text="Which?", choices=("A", "B", "C", "D"), answer="A", category="Test")
    guild = GUILDS[0]
    storage = backend()
    await storage.open()
    try:
        round_id = await storage.open_round(OpenRound(guild, 1, 1, "q", (0, 1, 2, 3), 20, opened, opened + 20))
        before, after = PlayerOutcome(7, "ann", 0, True, 150, 1000), PlayerOutcome(8, "bob", 0, True, 140, 5000)
        await storage.close_round(round_id, guild, RoundResult(AskedQuestion(question, (0, 1, 2, 3)), (before, after)), opened, opened + 20)
        next_day = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
        for period, users in ((Period.TODAY, [8]), (Period.MONTH, [8]), (Period.WEEK, [7, 8]), (Period.ALL_TIME, [7, 8])):
            start = period_start(period, next_day)
            board = BoardFilter(since=start, period=period if start is not None else None)
            assert [r.user_id for r in await storage.leaderboard(guild, board)] == users, period
            assert await storage.leaderboard_size(guild, board) == len(users), period
    finally:
        await storage.close()
