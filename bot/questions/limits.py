"""Size limits for pack content, chosen so every question fits Discord's embed limits.

Discord allows 4096 characters in an embed description. The bot escapes pack text before showing
it, which can double its length: the question and its ten lettered choices still fit the question
card's description (about 2,700 characters at worst), and the explanation the reveal's (2,000). The
reveal's title (answer and category, 256 at most) is shortened by the bot when escaping makes it
longer (bot/ui/limits.py).
"""

MAX_ID = 64
MAX_QUESTION = 300
MIN_CHOICES = 2
MAX_CHOICES = 10
MAX_CHOICE = 100
MAX_CATEGORY = 60
MAX_EXPLANATION = 1000
MAX_URL = 512
MAX_TAGS = 10
MAX_TAG = 40
MAX_PACK_NAME = 100
MAX_PACK_TEXT = 1000

# A shipped or uploaded pack file larger than this is refused before parsing.
MAX_PACK_BYTES = 2 * 1024 * 1024
