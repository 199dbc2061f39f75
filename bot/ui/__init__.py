"""Discord presentation: embeds and views built from the game's plain data."""
