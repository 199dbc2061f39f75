"""discord.py extensions, each loaded by the bot at start-up."""
