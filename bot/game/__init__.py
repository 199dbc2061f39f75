"""Game rules without Discord: answer tracking, scoring, rounds and standings."""
