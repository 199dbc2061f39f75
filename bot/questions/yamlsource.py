"""Safe YAML loading that remembers where every value came from.

Packs are parsed once with libyaml's C loader when it is available (pure-Python
SafeLoader otherwise). The node tree is kept beside the constructed data so that
validation can report the line and column of any field. Aliases are refused:
packs never need them and they are the vehicle of "billion laughs" documents.
"""

from __future__ import annotations

from typing import Any, Iterator

import yaml

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_IMPLICIT_TAGS = SafeLoader.yaml_implicit_resolvers  # first character -> [(tag, pattern)]


class _ShortResolveLoader(SafeLoader):  # type: ignore[misc, valid-type]
    """The safe loader with a shorter tag resolution, which the parser calls for every node.

    It gives the tag PyYAML's own ``resolve`` gives when, as in the safe loader, no resolver is
    registered for any first character (``None``) and none by path; packs are read with the plain
    safe loader otherwise.
    """

    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0]:  # a plain scalar: true, 12, ~ and the like take their type's tag
                for tag, pattern in _IMPLICIT_TAGS.get(value[:1], ()):
                    if pattern.match(value):
                        return str(tag)
            return str(self.DEFAULT_SCALAR_TAG)
        return str(self.DEFAULT_SEQUENCE_TAG if kind is yaml.SequenceNode else self.DEFAULT_MAPPING_TAG)


_PackLoader: type = SafeLoader if None in _IMPLICIT_TAGS or SafeLoader.yaml_path_resolvers else _ShortResolveLoader


class YamlSourceError(Exception):
    """The text is not a YAML document a pack can be read from."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


class Located:
    """A constructed YAML value with its 1-based position and its child nodes.

    The node, and so the position, of a value reached through :meth:`get` or :meth:`items` is found
    only when asked for: validation reads every field's value but the position only of one it
    reports a problem at.
    """

    __slots__ = ("value", "_node", "_parent", "_key")

    def __init__(self, value: Any, node: yaml.Node | None, parent: Located | None = None, key: str | int = 0) -> None:
        self.value = value
        self._node = node
        self._parent = parent  # with ``key``, where to find the node if it is not given
        self._key = key

    @property
    def node(self) -> yaml.Node:
        if self._node is None:
            assert self._parent is not None
            self._node = self._parent._child_node(self._key)
        return self._node

    @property
    def line(self) -> int:
        return int(self.node.start_mark.line) + 1

    @property
    def column(self) -> int:
        return int(self.node.start_mark.column) + 1

    def _child_node(self, key: str | int) -> yaml.Node:
        node = self.node
        if isinstance(key, int):
            return node.value[key]
        # The last match is the one the mapping kept (a `<<` merge puts merged keys first).
        return next(
            value_node for key_node, value_node in reversed(node.value)
            if key_node.value == key and isinstance(key_node, yaml.ScalarNode)
        )

    def get(self, key: str) -> Located | None:
        """The value stored under ``key`` in a mapping, with its position."""
        # Only a mapping node constructs to a dict, and a text key in it was written as a scalar.
        if isinstance(self.value, dict) and key in self.value:
            return Located(self.value[key], None, self, key)
        return None

    def key_position(self, key: str) -> tuple[int, int]:
        """Where ``key`` is written in a mapping (or the mapping itself if absent)."""
        return self.key_positions().get(key, (self.line, self.column))

    def key_positions(self) -> dict[str, tuple[int, int]]:
        """Where each key of a mapping is written; one pass, for checking every key of a big mapping."""
        positions: dict[str, tuple[int, int]] = {}
        if isinstance(self.node, yaml.MappingNode):
            for key_node, _ in self.node.value:  # later keys overwrite: the last one is the one kept
                if isinstance(key_node, yaml.ScalarNode):
                    mark = key_node.start_mark
                    positions[key_node.value] = (mark.line + 1, mark.column + 1)
        return positions

    def items(self) -> Iterator[Located]:
        """The elements of a sequence, with their positions."""
        # Only a sequence node constructs to a list, one element per child node.
        if isinstance(self.value, list):
            for index, value in enumerate(self.value):
                yield Located(value, None, self, index)


def _refuse_aliases(root: yaml.Node, text: str) -> None:
    """Raise if any node is reachable twice, which only an alias can cause, or a mapping repeats a key.

    Every alias starts with ``*``: in a text without one no node can be reached twice, so nothing
    is tracked by identity and only the collections are walked, for their keys.
    """
    aliases = "*" in text
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if aliases:
            if id(node) in seen:
                mark = node.start_mark
                raise YamlSourceError(
                    "YAML anchors and aliases (&name / *name) are not allowed in packs; write the value out",
                    mark.line + 1,
                    mark.column + 1,
                )
            seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend(child for child in node.value if aliases or not isinstance(child, yaml.ScalarNode))
        elif isinstance(node, yaml.MappingNode):
            keys: set[tuple[str, str]] = set()
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    key = (key_node.tag, key_node.value)
                    if key in keys:  # YAML would silently keep only the last value
                        mark = key_node.start_mark
                        shown = key_node.value if key_node.value.isprintable() else repr(key_node.value)
                        raise YamlSourceError(
                            f"`{shown}` is written twice in this mapping; keep only one",
                            mark.line + 1,
                            mark.column + 1,
                        )
                    keys.add(key)
                stack.extend(child for child in (key_node, value_node) if aliases or not isinstance(child, yaml.ScalarNode))


_STR, _MAP, _SEQ = (f"tag:yaml.org,2002:{kind}" for kind in ("str", "map", "seq"))


class _Unusual(Exception):
    """The document holds something the direct build leaves to PyYAML's constructors and the checks."""


def _build_plain(root: yaml.Node, loader: Any, aliases: bool) -> Any:
    """The document's value, built straight from its nodes for what packs hold.

    Text, mappings with text keys and lists are built here; other scalars (numbers, true/false,
    dates...) by PyYAML's own constructor for their tag. Anything else (a merge key, another tag,
    a key that is not text), a key written twice or a node reached twice raises :class:`_Unusual`,
    and so does any failure: the document is then checked and built the general way, which reports
    the problem exactly as before. This does in one pass what the checks and PyYAML's constructor
    do in two, without the constructor's bookkeeping for every node.
    """
    seen: set[int] = set()

    def visit(node: yaml.Node) -> None:
        if id(node) in seen:
            raise _Unusual
        seen.add(id(node))

    def build(node: yaml.Node) -> Any:
        if aliases:
            visit(node)
        kind = node.__class__
        if kind is yaml.ScalarNode:
            return node.value if node.tag == _STR else loader.construct_object(node)
        if kind is yaml.MappingNode and node.tag == _MAP:
            mapping: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if key_node.__class__ is not yaml.ScalarNode or key_node.tag != _STR or key_node.value in mapping:
                    raise _Unusual
                if aliases:
                    visit(key_node)
                mapping[key_node.value] = build(value_node)
            return mapping
        if kind is yaml.SequenceNode and node.tag == _SEQ:
            return [build(child) for child in node.value]
        raise _Unusual

    return build(root)


def _construct(loader: Any, node: yaml.Node, text: str) -> Any:
    """The checked document's value: built directly if it is plain, else checked and built the general way."""
    aliases = "*" in text  # every alias starts with one
    try:
        return _build_plain(node, loader, aliases)
    except Exception:  # RecursionError included
        # Start the constructor afresh: a failure leaves a node marked as being built.
        loader.constructed_objects, loader.recursive_objects, loader.state_generators = {}, {}, []
    _refuse_aliases(node, text)
    try:
        return loader.construct_document(node)
    except (yaml.YAMLError, RecursionError):
        raise
    except Exception:
        _LocatingLoader("").construct_document(node)  # raises the same failure, located
        raise


class _LocatingLoader(SafeLoader):  # type: ignore[misc, valid-type]
    """The safe loader, but a scalar it cannot convert is a located YAML error, not a crash.

    PyYAML's safe constructors raise plain Python exceptions for some inputs
    (``2001-13-45``, ``!!int abc``, ``!!bool x``, a 5000-digit integer...). Wrapping every
    node's construction costs a tenth of a big load, so a document is built with the plain
    loader and only one that failed is built again with this one, to say where.
    """

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (yaml.YAMLError, RecursionError):
            raise
        except Exception:
            kind = str(node.tag).rsplit(":", 1)[-1]
            shown = node.value if isinstance(node, yaml.ScalarNode) else ""
            shown = f"{shown[:40]}..." if len(shown) > 40 else shown
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read `{shown}` as {kind}; if it is text, put it in double quotes", node.start_mark
            ) from None


def _reader_position(text: str, position: int) -> tuple[int, int]:
    """1-based line and column of a reader error (libyaml counts UTF-8 bytes, PyYAML characters)."""
    if SafeLoader is not yaml.SafeLoader:
        position = len(text.encode("utf-8", "surrogatepass")[:position].decode("utf-8", "ignore"))
    before = text[:position]
    return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1


def load_located(text: str) -> Located:
    """Parse one YAML document safely and return it with positions."""
    loader = None
    try:
        loader = _PackLoader(text)  # the pure-Python reader already checks the characters here
        node = loader.get_single_node()
        if node is None:
            raise YamlSourceError("the file is empty; a pack needs `pack:` and `questions:`")
        value = _construct(loader, node, text)
    except yaml.reader.ReaderError as exc:
        line, column = _reader_position(text, exc.position)
        char = f"#x{exc.character:04x}" if isinstance(exc.character, int) else repr(exc.character)
        raise YamlSourceError(f"the file contains the character {char}, which packs may not use; remove it", line, column) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlSourceError(f"not valid YAML: {exc.problem or exc.context}", line, column) from None
    except yaml.YAMLError as exc:
        raise YamlSourceError(f"not valid YAML: {exc}") from None
    except RecursionError:
        raise YamlSourceError("the document is nested too deeply to be a question pack") from None
    finally:
        if loader is not None:
            loader.dispose()
    return Located(value, node)
