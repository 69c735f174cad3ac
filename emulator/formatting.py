"""Entity parsing for ``parse_mode`` texts, the way Telegram does it (close enough for tests).

Telegram parses ``HTML``, ``MarkdownV2`` and legacy ``Markdown`` texts into plain text plus
``MessageEntity`` objects, and rejects malformed markup with
``400 Bad Request: can't parse entities: ...``.  The emulator does the same so that a bot that
forgets to escape ``<`` in HTML or ``.`` in MarkdownV2 fails in the tests as it would in production.

Entity offsets and lengths are in UTF-16 code units, as in the Bot API.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["EntityParseError", "ParsedText", "parse_text", "utf16_len"]


class EntityParseError(ValueError):
    """The text could not be parsed in its ``parse_mode``; the message is Telegram-like."""


@dataclass
class ParsedText:
    """Plain text and the entities found in it."""

    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (how the Bot API measures entity offsets)."""
    return len(text.encode("utf-16-le")) // 2


def parse_text(text: str, parse_mode: str | None) -> ParsedText:
    """Parse ``text`` according to ``parse_mode`` (``None`` = plain text).

    Raises:
        EntityParseError: the markup is malformed, or the parse mode is unsupported.
    """
    if parse_mode is None or parse_mode == "":
        return ParsedText(text)
    mode = parse_mode.lower()
    if mode == "html":
        return _HTMLParser(text).parse()
    if mode == "markdownv2":
        return _MarkdownParser(text, v2=True).parse()
    if mode == "markdown":
        return _MarkdownParser(text, v2=False).parse()
    raise EntityParseError(f"unsupported parse_mode {parse_mode!r}")


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


# --------------------------------------------------------------------------------------------- HTML

_HTML_TAGS: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
    "tg-time": "date_time",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ATTR_RE = re.compile(r"""\s*([a-zA-Z_-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")


@dataclass
class _Open:
    tag: str
    start: int  # utf-16 offset in the output
    attrs: dict[str, str]
    source_index: int


class _HTMLParser:
    def __init__(self, text: str) -> None:
        self.src = text
        self.out: list[str] = []
        self.out_len = 0  # utf-16 units emitted so far
        self.stack: list[_Open] = []
        self.entities: list[dict[str, Any]] = []

    def _emit(self, chunk: str) -> None:
        self.out.append(chunk)
        self.out_len += utf16_len(chunk)

    def parse(self) -> ParsedText:
        src = self.src
        i = 0
        n = len(src)
        while i < n:
            ch = src[i]
            if ch == "&":
                i = self._entity(i)
            elif ch == "<":
                i = self._tag(i)
            else:
                j = i
                while j < n and src[j] not in "<&":
                    j += 1
                self._emit(src[i:j])
                i = j
        if self.stack:
            raise EntityParseError(f'can\'t find end tag corresponding to start tag "{self.stack[-1].tag}"')
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return ParsedText("".join(self.out), self.entities)

    def _entity(self, i: int) -> int:
        m = re.match(r"&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);", self.src[i:])
        if m is None:
            self._emit("&")
            return i + 1
        name = m.group(1)
        if name.startswith("#"):
            self._emit(html.unescape(m.group(0)))
        elif name in _NAMED_ENTITIES:
            self._emit(_NAMED_ENTITIES[name])
        else:  # Telegram keeps unsupported named entities as they are
            self._emit(m.group(0))
        return i + len(m.group(0))

    def _tag(self, i: int) -> int:
        src = self.src
        end = src.find(">", i)
        if end == -1:
            raise EntityParseError(f"unclosed start tag at byte offset {_byte_offset(src, i)}")
        body = src[i + 1 : end]
        if body.startswith("/"):
            name = body[1:].strip().lower()
            if not self.stack:
                raise EntityParseError(f"unexpected end tag at byte offset {_byte_offset(src, i)}")
            top = self.stack[-1]
            if name and name != top.tag:
                raise EntityParseError(f'can\'t find end tag corresponding to start tag "{top.tag}"')
            self.stack.pop()
            self._close(top)
            return end + 1
        m = re.match(r"([a-zA-Z][a-zA-Z0-9-]*)", body)
        name = m.group(1).lower() if m else ""
        if name not in _HTML_TAGS:
            raise EntityParseError(f'unsupported start tag "{name}" at byte offset {_byte_offset(src, i)}')
        attrs: dict[str, str] = {}
        rest = body[len(name) :].rstrip("/")
        for am in _ATTR_RE.finditer(rest):
            if am.group(1):
                value = am.group(2) or am.group(3) or am.group(4) or ""
                attrs[am.group(1).lower()] = html.unescape(value)
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise EntityParseError(f'unsupported start tag "span" at byte offset {_byte_offset(src, i)}')
        if name == "a" and "href" not in attrs:
            raise EntityParseError(f"<a> tag without href at byte offset {_byte_offset(src, i)}")
        self.stack.append(_Open(name, self.out_len, attrs, i))
        return end + 1

    def _close(self, top: _Open) -> None:
        length = self.out_len - top.start
        if length == 0:
            return  # Telegram drops empty entities
        kind = _HTML_TAGS[top.tag]
        entity: dict[str, Any] = {"type": kind, "offset": top.start, "length": length}
        if kind == "text_link":
            entity["url"] = top.attrs["href"]
        elif kind == "custom_emoji":
            entity["custom_emoji_id"] = top.attrs.get("emoji-id", "")
        elif kind == "blockquote" and "expandable" in top.attrs:
            entity["type"] = "expandable_blockquote"
        elif kind == "date_time":
            entity["unix_time"] = int(top.attrs.get("unix", "0") or 0)
        elif kind == "code" and self.stack and self.stack[-1].tag == "pre":
            lang = top.attrs.get("class", "")
            if lang.startswith("language-"):
                self.stack[-1].attrs["language"] = lang.removeprefix("language-")
            return  # <pre><code> is one pre entity
        elif kind == "pre" and "language" in top.attrs:
            entity["language"] = top.attrs["language"]
        self.entities.append(entity)


# ----------------------------------------------------------------------------------------- Markdown

_V2_RESERVED = set("_*[]()~`>#+-=|{}.!")
_V2_NAMES = {
    "*": "Bold",
    "_": "Italic",
    "__": "Underline",
    "~": "Strikethrough",
    "||": "Spoiler",
}
_V2_TYPES = {
    "*": "bold",
    "_": "italic",
    "__": "underline",
    "~": "strikethrough",
    "||": "spoiler",
}


class _MarkdownParser:
    def __init__(self, text: str, *, v2: bool) -> None:
        self.src = text
        self.v2 = v2
        self.out: list[str] = []
        self.out_len = 0
        self.entities: list[dict[str, Any]] = []

    def _emit(self, chunk: str) -> None:
        self.out.append(chunk)
        self.out_len += utf16_len(chunk)

    def _err_end(self, what: str, index: int) -> EntityParseError:
        if self.v2:
            return EntityParseError(f"can't find end of {what} entity at byte offset {_byte_offset(self.src, index)}")
        return EntityParseError(f"can't find end of the entity starting at byte offset {_byte_offset(self.src, index)}")

    def parse(self) -> ParsedText:
        src = self.src
        n = len(src)
        i = 0
        open_: list[tuple[str, int, int]] = []  # (marker, out offset, source index)
        link_start: list[tuple[int, int]] = []
        while i < n:
            ch = src[i]
            if ch == "\\" and self.v2 and i + 1 < n and 0 < ord(src[i + 1]) < 127:
                self._emit(src[i + 1])
                i += 2
                continue
            if ch == "`":
                i = self._code(i)
                continue
            if ch == "[":
                link_start.append((self.out_len, i))
                i += 1
                continue
            if ch == "]" and link_start:
                start, src_i = link_start.pop()
                if i + 1 < n and src[i + 1] == "(":
                    close = src.find(")", i + 2)
                    if close == -1:
                        raise self._err_end("TextUrl", src_i)
                    url = src[i + 2 : close].replace("\\)", ")").replace("\\\\", "\\")
                    if self.out_len > start:
                        self.entities.append(
                            {"type": "text_link", "offset": start, "length": self.out_len - start, "url": url}
                        )
                    i = close + 1
                    continue
                if self.v2:
                    raise EntityParseError("character ']' is reserved and must be escaped with the preceding '\\'")
                self._emit("]")
                i += 1
                continue
            marker = None
            if self.v2:
                if src.startswith("__", i):
                    marker = "__"
                elif src.startswith("||", i):
                    marker = "||"
                elif ch in "*_~":
                    marker = ch
            elif ch in "*_":
                marker = ch
            if marker is not None:
                if open_ and open_[-1][0] == marker:
                    m, start, _ = open_.pop()
                    if self.out_len > start:
                        self.entities.append({"type": _V2_TYPES[m], "offset": start, "length": self.out_len - start})
                elif not self.v2 and open_:
                    # legacy Markdown does not nest: the marker is literal inside another entity
                    self._emit(ch)
                else:
                    open_.append((marker, self.out_len, i))
                i += len(marker)
                continue
            if self.v2 and ch == ">" and (i == 0 or src[i - 1] == "\n"):
                i = self._blockquote_marker(i)
                continue
            if self.v2 and ch in _V2_RESERVED:
                raise EntityParseError(f"character '{ch}' is reserved and must be escaped with the preceding '\\'")
            self._emit(ch)
            i += 1
        if open_:
            marker, _, src_i = open_[-1]
            raise self._err_end(_V2_NAMES.get(marker, "the"), src_i)
        if link_start and self.v2:
            raise self._err_end("TextUrl", link_start[-1][1])
        if link_start:
            raise self._err_end("the", link_start[-1][1])
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return ParsedText("".join(self.out), self.entities)

    def _blockquote_marker(self, i: int) -> int:
        # a quote runs to the end of the line; good enough for length counting
        end = self.src.find("\n", i)
        end = len(self.src) if end == -1 else end
        start = self.out_len
        sub = _MarkdownParser(self.src[i + 1 : end], v2=True).parse()
        for entity in sub.entities:
            entity["offset"] += start
            self.entities.append(entity)
        self._emit(sub.text)
        if self.out_len > start:
            self.entities.append({"type": "blockquote", "offset": start, "length": self.out_len - start})
        return end

    def _code(self, i: int) -> int:
        src = self.src
        if src.startswith("```", i):
            close = src.find("```", i + 3)
            if close == -1:
                raise self._err_end("Pre", i)
            body = src[i + 3 : close]
            language = ""
            if "\n" in body:
                first, rest = body.split("\n", 1)
                if first and " " not in first:
                    language, body = first, rest
            if self.v2:
                body = re.sub(r"\\([`\\])", r"\1", body)
            start = self.out_len
            self._emit(body)
            entity: dict[str, Any] = {"type": "pre", "offset": start, "length": self.out_len - start}
            if language:
                entity["language"] = language
            if entity["length"]:
                self.entities.append(entity)
            return close + 3
        j = i + 1
        while j < len(src) and src[j] != "`":
            j += 2 if (self.v2 and src[j] == "\\") else 1
        if j >= len(src):
            raise self._err_end("Code", i)
        body = src[i + 1 : j]
        if self.v2:
            body = re.sub(r"\\([`\\])", r"\1", body)
        start = self.out_len
        self._emit(body)
        if self.out_len > start:
            self.entities.append({"type": "code", "offset": start, "length": self.out_len - start})
        return j + 1
