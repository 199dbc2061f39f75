"""A small client for SimCord's preview page API, speaking the protocol its page's JavaScript speaks
(simcord/preview/static/actions.js and transport.js): open a page per viewer, run slash commands,
react, refresh, read the messages."""

from __future__ import annotations

import json
import re
import urllib.request
import uuid
from typing import Any

URL = re.compile(r"(http://127\.0\.0\.1:\d+)/#(\S+)")


class PreviewPage:
    """One browser tab of the preview, seen by one viewer."""

    def __init__(self, url: str, viewer_id: str | None = None) -> None:
        match = URL.search(url)
        assert match, f"not a preview URL: {url}"
        self.base, self.capability = match.groups()
        self.context: str | None = None
        self.state = self._request("/api/pages", {} if viewer_id is None else {"viewer_id": viewer_id})
        self.context = self.state["context"]["id"]
        self.sequence = 0

    def _request(self, path: str, body: Any = None) -> Any:
        headers = {"X-Simcord-Capability": self.capability, "Content-Type": "application/json"}
        if self.context:
            headers["X-Simcord-Context"] = self.context
        data = None if body is None else json.dumps(body).encode()
        with urllib.request.urlopen(urllib.request.Request(self.base + path, data=data, headers=headers), timeout=30) as response:
            return json.load(response)

    def viewers(self) -> dict[str, str]:
        """Viewer name -> id."""
        return {viewer["name"]: viewer["id"] for viewer in self.state["viewers"]}

    def act(self, kind: str, **fields: Any) -> dict[str, Any]:
        """Send one action as the page does and read the page's new state; returns the receipt."""
        self.state = self._request("/api/state")  # actions name the revision they were made on
        self.sequence += 1
        body = {
            **fields,
            "protocol_version": 3,
            "sequence": self.sequence,
            "request_id": str(uuid.uuid4()),
            "generation": self.state["context"]["generation"],
            "bot_generation": self.state["botGeneration"],
            "published_revision": self.state["publishedRevision"],
            "kind": kind,
        }
        receipt = self._request("/api/action", body)
        self.state = self._request("/api/state")
        return receipt

    def slash(self, name: str, **options: str) -> dict[str, Any]:
        """Run a slash command (options as strings, as the page sends them)."""
        catalog = self._request("/api/commands")
        entry = next(e for e in catalog["entries"] if e["invocation"] == name)
        return self.act(
            "run_command", command_id=entry["commandId"], path=entry["path"],
            schema_fingerprint=entry["schemaFingerprint"], options=options,
        )

    def react(self, message_id: str, emoji: str) -> dict[str, Any]:
        return self.act("set_reaction", target_id=message_id, emoji=emoji, reacted=True)

    def refresh(self) -> None:
        self.act("refresh")

    def messages(self) -> list[dict[str, Any]]:
        """The channel's messages, oldest first."""
        return [self.state["messages"][message_id] for message_id in self.state["timeline"] if message_id in self.state["messages"]]
