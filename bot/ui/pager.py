"""Previous/next buttons for a list too long for one embed (a leaderboard, the scheduled nights)."""

from __future__ import annotations

from typing import Any, Awaitable, Callable

import discord

from bot.constants import BOARD_VIEW_TIMEOUT, NO_PINGS

PageRenderer = Callable[[int], Awaitable[discord.Embed]]


class PageButtons(discord.ui.View):
    """Buttons only the member who asked can use; they disappear when the view times out."""

    def __init__(self, owner_id: int, pages: int, render: PageRenderer, command: str) -> None:
        super().__init__(timeout=BOARD_VIEW_TIMEOUT)
        self.owner_id = owner_id
        self.command = command
        self.pages = pages
        self.page = 1
        self.render = render
        self.message: discord.InteractionMessage | None = None
        self._refresh_buttons()

    def _refresh_buttons(self) -> None:
        self.previous.disabled = self.page <= 1
        self.next.disabled = self.page >= self.pages

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.owner_id:
            await interaction.response.send_message(
                f"These buttons belong to whoever ran the command; use `{self.command}` to page on your own.",
                ephemeral=True,
            )
            return False
        return True

    async def _show(self, interaction: discord.Interaction, page: int) -> None:
        self.page = min(max(page, 1), self.pages)
        self._refresh_buttons()
        await interaction.response.edit_message(embed=await self.render(self.page), view=self)

    @discord.ui.button(label="Previous", emoji="◀️", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, _: discord.ui.Button[PageButtons]) -> None:
        await self._show(interaction, self.page - 1)

    @discord.ui.button(label="Next", emoji="▶️", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction, _: discord.ui.Button[PageButtons]) -> None:
        await self._show(interaction, self.page + 1)

    async def on_timeout(self) -> None:
        if self.message is not None:
            try:
                await self.message.edit(view=None)
            except discord.HTTPException:
                pass  # the message was deleted or the token expired; nothing left to tidy


async def send_pages(
    interaction: discord.Interaction, pages: int, render: PageRenderer, command: str, **kwargs: Any
) -> None:
    """Answer ``interaction`` with page 1, and with page buttons when there are more pages."""
    embed = await render(1)
    if pages == 1:
        await interaction.response.send_message(embed=embed, allowed_mentions=NO_PINGS, **kwargs)
        return
    view = PageButtons(interaction.user.id, pages, render, command)
    callback = await interaction.response.send_message(embed=embed, view=view, allowed_mentions=NO_PINGS, **kwargs)
    if isinstance(callback.resource, discord.InteractionMessage):
        view.message = callback.resource
