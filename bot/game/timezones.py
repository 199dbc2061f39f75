"""Time zones by their IANA names (``Europe/Berlin``), as servers choose them for scheduled nights."""

from __future__ import annotations

import zoneinfo
from functools import cache

UTC_NAME = "UTC"


@cache
def _by_folded_name() -> dict[str, str]:
    return {name.casefold(): name for name in zoneinfo.available_timezones()}


def canonical_timezone(text: str) -> str | None:
    """The IANA name ``text`` means, spelled as the database spells it (case ignored), or None."""
    return _by_folded_name().get(text.strip().casefold())


def timezone_names(containing: str = "") -> list[str]:
    """Every known zone name containing ``containing`` (case ignored), sorted."""
    typed = containing.strip().casefold()
    return sorted(name for folded, name in _by_folded_name().items() if typed in folded)


def zone(name: str) -> zoneinfo.ZoneInfo:
    """The zone called ``name``; an unknown name (from an older database) falls back to UTC."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(UTC_NAME)
