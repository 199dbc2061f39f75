"""Size limits for pack content, chosen so every question fits Discord's embed limits.

Discord allows 4096 characters in an embed description and 1024 in a field value;
the question and its lettered choices share the description, the explanation
goes in a field of its own.
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
