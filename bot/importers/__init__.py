"""Importers that turn other question formats into pack files (`trivia-night import ...`)."""

from bot.importers.common import ImporterError
from bot.importers.csvfile import import_csv
from bot.importers.opentdb import ENCODINGS, import_opentdb
from bot.importers.packfile import ImportResult

__all__ = ["ENCODINGS", "ImportResult", "ImporterError", "import_csv", "import_opentdb"]
