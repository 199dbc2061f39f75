"""Database schema, one list of statements per version.

``PRAGMA user_version`` holds the version a database is at; opening it applies
every later step in one transaction. Never edit a released step: add a new one.
"""

from __future__ import annotations

from bot.storage.errors import StorageError

# The answers' columns as the first release made them (migration 10 rebuilds the table with them).
_ANSWER_COLUMNS = """            round_id INTEGER NOT NULL REFERENCES rounds (id),
            guild_id INTEGER NOT NULL,
            user_id INTEGER NOT NULL,
            choice INTEGER NOT NULL,
            correct INTEGER NOT NULL,
            points INTEGER NOT NULL,
            response_ms INTEGER NOT NULL,
            answered_at REAL NOT NULL,
"""

# category_totals' columns as migration 10 made them (migration 11 rebuilds the table with them).
_CATEGORY_TOTAL_COLUMNS = """            guild_id INTEGER NOT NULL,
            user_id INTEGER NOT NULL,
            category TEXT NOT NULL,
            correct INTEGER NOT NULL,
            answered INTEGER NOT NULL,
"""

MIGRATIONS: list[list[str]] = [
    # 1: first release.
    [
        """CREATE TABLE meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )""",
        """CREATE TABLE players (
            guild_id INTEGER NOT NULL,
            user_id INTEGER NOT NULL,
            name TEXT NOT NULL,
            PRIMARY KEY (guild_id, user_id)
        )""",
        """CREATE TABLE games (
            id INTEGER PRIMARY KEY,
            guild_id INTEGER NOT NULL,
            channel_id INTEGER NOT NULL,
            host_id INTEGER NOT NULL,
            started_at REAL NOT NULL,
            ended_at REAL,
            questions_planned INTEGER NOT NULL
        )""",
        """CREATE TABLE rounds (
            id INTEGER PRIMARY KEY,
            game_id INTEGER REFERENCES games (id),
            guild_id INTEGER NOT NULL,
            channel_id INTEGER NOT NULL,
            message_id INTEGER NOT NULL,
            question_id TEXT NOT NULL,
            choice_order TEXT NOT NULL,
            seconds REAL NOT NULL,
            opened_at REAL NOT NULL,
            deadline REAL NOT NULL,
            closed_at REAL,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed', 'void'))
        )""",
        "CREATE INDEX rounds_open ON rounds (status) WHERE status = 'open'",
        "CREATE INDEX rounds_guild_question ON rounds (guild_id, question_id)",
        f"""CREATE TABLE answers (
{_ANSWER_COLUMNS}            PRIMARY KEY (round_id, user_id)
        )""",
        "CREATE INDEX answers_guild_time ON answers (guild_id, answered_at)",
        "CREATE INDEX answers_guild_user ON answers (guild_id, user_id)",
    ],
    # 2: trivia nights: server settings, streaks and categories kept per answer and round.
    [
        """CREATE TABLE guild_settings (
            guild_id INTEGER PRIMARY KEY,
            settings TEXT NOT NULL
        )""",
        "ALTER TABLE answers ADD COLUMN streak INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE rounds ADD COLUMN category TEXT NOT NULL DEFAULT ''",
        "CREATE INDEX rounds_game ON rounds (game_id)",
        "CREATE INDEX games_guild_ended ON games (guild_id, ended_at)",
    ],
    # 3: how often each question is answered correctly, over every server.
    [
        """CREATE TABLE question_stats (
            question_id TEXT PRIMARY KEY,
            answered INTEGER NOT NULL DEFAULT 0,
            correct INTEGER NOT NULL DEFAULT 0
        )""",
        """INSERT INTO question_stats (question_id, answered, correct)
           SELECT r.question_id, COUNT(*), SUM(a.correct)
           FROM answers AS a JOIN rounds AS r ON r.id = a.round_id
           GROUP BY r.question_id""",
    ],
    # 4: a game's options, so a game interrupted by a restart can continue as it started.
    [
        "ALTER TABLE games ADD COLUMN options TEXT NOT NULL DEFAULT '{}'",
        "CREATE INDEX games_unfinished ON games (ended_at) WHERE ended_at IS NULL",
    ],
    # 5: per-server custom question packs, uploaded as YAML (names match without regard to ASCII case).
    [
        """CREATE TABLE custom_packs (
            guild_id INTEGER NOT NULL,
            name TEXT NOT NULL COLLATE NOCASE,
            yaml TEXT NOT NULL,
            question_count INTEGER NOT NULL,
            uploaded_by INTEGER NOT NULL,
            uploaded_at REAL NOT NULL,
            PRIMARY KEY (guild_id, name)
        )""",
    ],
    # 6: secret answers: each player's hidden pick while the question is open, since the bot removes
    # the reaction and Discord no longer holds it (kept until the round closes, for restarts).
    [
        """CREATE TABLE hidden_picks (
            round_id INTEGER NOT NULL REFERENCES rounds (id),
            user_id INTEGER NOT NULL,
            choice INTEGER NOT NULL,
            seconds REAL NOT NULL,
            name TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (round_id, user_id)
        )""",
    ],
]


# Never raised: sorts after every real time ("reached" is NOT NULL so the ranking index can serve it).
NEVER_REACHED = 9.0e18

# Running totals recomputed from the stored answers (only closed rounds have answers, so voided rounds
# never count), one statement per bucket kind. The bucket keys match bot.game.periods.bucket_key.
TOTALS_BUCKETS = {
    "all": "'all'",
    "month": "'m:' || strftime('%Y-%m', a.answered_at, 'unixepoch')",
    "week": "'w:' || date(a.answered_at, 'unixepoch', '-6 days', 'weekday 1')",
    "day": "'d:' || date(a.answered_at, 'unixepoch')",
    "game": "'g:' || r.game_id",
}
# The records /trivia-stats shows, kept with each total since version 10: the best streak and the
# fastest right answer (NULL until there is one). FASTEST_RIGHT is an answer's claim on the second, from
# answers row ``a``: every close and rebuild on both backends goes through it.
RECORD_COLUMNS = ", best_streak, fastest_ms"
FASTEST_RIGHT = "CASE WHEN a.correct = 1 THEN a.response_ms END"
RECORD_SUMS = f", MAX(a.streak), MIN({FASTEST_RIGHT})"


def sum_totals(buckets: dict[str, str], columns: str = "", sums: str = "") -> list[str]:
    """Statements that fill ``totals`` from the answers, a bucket kind each, with the key expressions
    of ``buckets`` (each backend writes dates its own way) and ``sums`` of any further ``columns``."""
    return [
        f"""INSERT INTO totals (guild_id, bucket, user_id, points, correct, answered, reached{columns})
        SELECT a.guild_id, {key}, a.user_id, SUM(a.points), SUM(a.correct), COUNT(*),
               COALESCE(MAX(CASE WHEN a.points > 0 THEN a.answered_at END), {NEVER_REACHED}){sums}
        FROM answers AS a JOIN rounds AS r ON r.id = a.round_id
        WHERE r.status = 'closed' {"AND r.game_id IS NOT NULL" if kind == "game" else ""}
        GROUP BY 1, 2, 3"""
        for kind, key in buckets.items()
    ]


# Each player's answers per category (for /trivia-stats' favourite), recounted from the answers.
COUNT_CATEGORIES = """INSERT INTO category_totals (guild_id, user_id, category, correct, answered)
    SELECT a.guild_id, a.user_id, r.category, SUM(a.correct), COUNT(*)
    FROM answers AS a JOIN rounds AS r ON r.id = a.round_id
    WHERE r.status = 'closed' AND r.category != ''
    GROUP BY 1, 2, 3"""
REBUILD_TOTALS = [
    "DELETE FROM totals", "DELETE FROM category_totals", *sum_totals(TOTALS_BUCKETS, RECORD_COLUMNS, RECORD_SUMS), COUNT_CATEGORIES
]

MIGRATIONS.append(
    # 7: running totals per server, bucket (all-time, UTC month, ISO week, UTC day, game) and player,
    # kept in the round-close transaction; the index serves the ranking rule (points, reached, user).
    [
        """CREATE TABLE totals (
            guild_id INTEGER NOT NULL,
            bucket TEXT NOT NULL,
            user_id INTEGER NOT NULL,
            points INTEGER NOT NULL,
            correct INTEGER NOT NULL,
            answered INTEGER NOT NULL,
            reached REAL NOT NULL,
            PRIMARY KEY (guild_id, bucket, user_id)
        ) WITHOUT ROWID""",
        "CREATE INDEX totals_rank ON totals (guild_id, bucket, points DESC, reached, user_id)",
        *sum_totals(TOTALS_BUCKETS),
    ]
)

MIGRATIONS.append(
    # 8: the outbox: what players must see (a reveal, the final standings), kept until it is posted and
    # its round saved, so a shutdown or crash at the moment of posting is made good at the next start.
    [
        """CREATE TABLE announcements (
            kind TEXT NOT NULL,
            key INTEGER NOT NULL,
            guild_id INTEGER NOT NULL,
            channel_id INTEGER NOT NULL,
            payload TEXT NOT NULL,
            created_at REAL NOT NULL,
            posted_at REAL,
            done_at REAL,
            PRIMARY KEY (kind, key)
        )""",
        "CREATE INDEX announcements_pending ON announcements (created_at) WHERE done_at IS NULL",
    ]
)

MIGRATIONS.append(
    # 9: scheduled trivia nights (/trivia-schedule), one row per schedule holding its next night.
    [
        """CREATE TABLE schedules (
            id INTEGER PRIMARY KEY,
            guild_id INTEGER NOT NULL,
            channel_id INTEGER NOT NULL,
            host_id INTEGER NOT NULL,
            title TEXT NOT NULL,
            choices TEXT NOT NULL,
            repeat_rule TEXT NOT NULL,
            timezone TEXT NOT NULL,
            local_time TEXT NOT NULL,
            next_at REAL NOT NULL,
            remind_at REAL,
            event_id INTEGER,
            game_id INTEGER REFERENCES games (id)
        )""",
        "CREATE INDEX schedules_guild ON schedules (guild_id)",
    ]
)

MIGRATIONS.append(
    # 10: a round close touches fewer trees. Answers are kept in order of round (a table without rowid,
    # so a round's answers are read back in one range); /trivia-stats reads each player's records from
    # their all-time total and their favourite category from category_totals, so the index of answers
    # by player, which every answer wrote to a page of its own, is gone.
    [
        f"""CREATE TABLE answers_by_round (
{_ANSWER_COLUMNS}            streak INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (round_id, user_id)
        ) WITHOUT ROWID""",
        """INSERT INTO answers_by_round (round_id, guild_id, user_id, choice, correct, points, response_ms, answered_at, streak)
           SELECT round_id, guild_id, user_id, choice, correct, points, response_ms, answered_at, streak FROM answers""",
        "DROP TABLE answers",
        "ALTER TABLE answers_by_round RENAME TO answers",
        "CREATE INDEX answers_guild_time ON answers (guild_id, answered_at)",
        "ALTER TABLE totals ADD COLUMN best_streak INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE totals ADD COLUMN fastest_ms INTEGER",
        f"""CREATE TABLE category_totals (
{_CATEGORY_TOTAL_COLUMNS}            PRIMARY KEY (guild_id, user_id, category)
        ) WITHOUT ROWID""",
        *REBUILD_TOTALS,
    ]
)

MIGRATIONS.append(
    # 11: category_totals keyed by category before player. A round's answerers share its category, so
    # its upserts land in one range of the table instead of on nearly every leaf of the server's part.
    [
        f"""CREATE TABLE category_totals_by_category (
{_CATEGORY_TOTAL_COLUMNS}            PRIMARY KEY (guild_id, category, user_id)
        ) WITHOUT ROWID""",
        """INSERT INTO category_totals_by_category (guild_id, user_id, category, correct, answered)
           SELECT guild_id, user_id, category, correct, answered FROM category_totals""",
        "DROP TABLE category_totals",
        "ALTER TABLE category_totals_by_category RENAME TO category_totals",
    ]
)

SCHEMA_VERSION = len(MIGRATIONS)


def refuse_newer_schema(current: int) -> None:
    """Every backend refuses a database a newer bot has upgraded, in the same words."""
    if current > SCHEMA_VERSION:
        raise StorageError(f"the database is at schema version {current}, newer than this bot ({SCHEMA_VERSION}); update the bot")
