"""Question packs: the data model, safe YAML loading, validation and the question bank."""

from bot.questions.bank import QuestionBank
from bot.questions.errors import PackProblem
from bot.questions.loader import LoadReport, load_packs, parse_pack
from bot.questions.model import DIFFICULTIES, Pack, PackInfo, Question

__all__ = [
    "DIFFICULTIES", "LoadReport", "Pack", "PackInfo", "PackProblem", "Question",
    "QuestionBank", "load_packs", "parse_pack",
]
