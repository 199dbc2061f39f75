"""Settings that name what no longer exists: a deleted starter role or game channel, a category whose
custom pack was removed.

A stale entry restricts nothing: games run as if it were not set (a deleted role lets everyone start
games, game channels that are all gone allow every channel, categories that are all gone allow every
category), and the replies say what is stale and how an admin fixes it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.game.server_settings import ServerSettings


@dataclass(frozen=True, slots=True)
class StaleSettings:
    """What a server's settings name that is gone; empty when nothing is."""

    starter_role_id: int | None = None
    channel_ids: tuple[int, ...] = ()
    categories: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return self.starter_role_id is not None or bool(self.channel_ids) or bool(self.categories)


NOTHING_STALE = StaleSettings()


def find_stale(
    config: ServerSettings,
    *,
    role_exists: Callable[[int], bool],
    channel_exists: Callable[[int], bool],
    category_exists: Callable[[str], bool],
) -> StaleSettings:
    """What in ``config`` no longer exists: its role, channels and categories are checked with the callables."""
    role = config.starter_role_id
    return StaleSettings(
        starter_role_id=role if role is not None and not role_exists(role) else None,
        channel_ids=tuple(c for c in config.channel_ids if not channel_exists(c)),
        categories=tuple(c for c in config.categories if not category_exists(c)),
    )


def in_force(config: ServerSettings, stale: StaleSettings) -> ServerSettings:
    """The settings games follow: ``config`` without its stale entries."""
    if not stale:
        return config
    return config.changed(
        starter_role_id=None if stale.starter_role_id is not None else config.starter_role_id,
        channel_ids=tuple(c for c in config.channel_ids if c not in stale.channel_ids),
        categories=tuple(c for c in config.categories if c not in stale.categories),
    )
