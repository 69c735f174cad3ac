"""Every word the bot says lives in bot/texts/ (the ground the languages issue builds on): a string literal
with words in it, handed to anything that speaks to a person, fails this test."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import bot

BOT = Path(bot.__file__).parent
# Not the bot's words to a person: the texts themselves, the developer tools (the Bot API emulator, the
# terminal demo and the command line speak to a developer) and storage.
NOT_SCANNED = {BOT / "demo.py", BOT / "cli.py"}
NOT_SCANNED_DIRS = {BOT / "emulator", BOT / "storage", BOT / "texts"}  # storage never speaks to a person
# Calls whose string arguments reach a person: messages, notices, captions, keyboards, pictures' words.
SPEAKING_CALLS = {
    "say",
    "Reply",
    "Outcome",
    "Document",
    "reply_text",
    "send_message",
    "send_document",
    "send_photo",
    "edit_message_text",
    "text",
    "suptitle",
    "set_title",
    "set_xlabel",
    "set_ylabel",
    "BotCommand",
}
SPEAKING_KEYWORDS = {"text", "caption", "notice", "label", "title"}
WORDS = re.compile(r"[^\W\d_]{2,}")  # two letters in a row: a word, in any script


def _files() -> list[Path]:
    return [
        path
        for path in sorted(BOT.rglob("*.py"))
        if path not in NOT_SCANNED and not any(d in path.parents for d in NOT_SCANNED_DIRS)
    ]


def _name(call: ast.Call) -> str:
    function = call.func
    return function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")


def _literals(node: ast.AST) -> list[ast.Constant]:
    """The string constants with words that `node` shows as they are: a literal, the literal parts of an
    f-string, either side of a concatenation or a conditional (not a key or an argument inside it)."""
    if isinstance(node, ast.Constant):
        return [node] if isinstance(node.value, str) and WORDS.search(node.value) else []
    if isinstance(node, ast.JoinedStr):
        return [part for value in node.values for part in _literals(value)]
    if isinstance(node, ast.BinOp):
        return _literals(node.left) + _literals(node.right)
    if isinstance(node, ast.IfExp):
        return _literals(node.body) + _literals(node.orelse)
    if isinstance(node, ast.Tuple | ast.List):
        return [part for element in node.elts for part in _literals(element)]
    return []


def _is_button(node: ast.AST) -> bool:
    """(label, <a button of bot/usecases/buttons.py>): a keyboard's button."""
    return (
        isinstance(node, ast.Tuple)
        and len(node.elts) == 2
        and isinstance(node.elts[1], ast.Call)
        and isinstance(node.elts[1].func, ast.Attribute)
        and isinstance(node.elts[1].func.value, ast.Name)
        and node.elts[1].func.value.id == "b"
    )


def user_facing_literals(source: str) -> list[tuple[int, str]]:
    found: list[ast.Constant] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            if _name(node) in SPEAKING_CALLS:
                for argument in node.args:
                    found.extend(_literals(argument))
            for keyword in node.keywords:
                if keyword.arg in SPEAKING_KEYWORDS:
                    found.extend(_literals(keyword.value))
        elif _is_button(node):
            assert isinstance(node, ast.Tuple)
            found.extend(_literals(node.elts[0]))
    return sorted({(n.lineno, n.value) for n in found})


def test_no_user_facing_literal_outside_texts() -> None:
    offenders = [
        f"{path.relative_to(BOT.parent)}:{line}: {value!r}"
        for path in _files()
        for line, value in user_facing_literals(path.read_text())
    ]
    assert offenders == [], "put these in bot/texts/:\n" + "\n".join(offenders)


def test_the_scan_finds_what_a_person_would_read() -> None:
    """The scan itself: each of these would be missed by a weaker test."""
    speaking = [
        'say(ctx, "Welcome back!")',
        'outcome.say(chat, f"Today ({day}): plan")',
        'Reply(chat, "Done.", keyboard)',
        'Outcome(notice="Too late")',
        '(("Yes, delete everything", b.DeleteAnswer(True)),)',
        'axis.set_ylabel("run minutes")',
        'message.reply_text("Hallo")',
        'plot(x, y, label="bone pain")',
        'say(ctx, "Привет")',
        'say(ctx, "Note: " + text)',
        'say(ctx, text if ok else "Not yet")',
    ]
    for source in speaking:
        assert user_facing_literals(source), source
    silent = [
        "say(ctx, texts.WELCOME)",
        'say(ctx, "\\n\\n".join(lines))',
        'say(ctx, f"{texts.RESUMED}\\n\\n{text}")',
        'log.info("a new runner was created")',
        'raise ValueError("unknown field")',
        'axis.text(0.5, 0.5, texts.CHART_EMPTY, ha="center")',
        'say(ctx, texts.ASK, STEPS["timezone"].keyboard("timezone"))',
    ]
    for source in silent:
        assert not user_facing_literals(source), source


def test_every_text_named_in_the_bot_exists() -> None:
    """`texts.NAME` on the module or on a reader's view of it (bot.i18n.Texts, typed loosely: a misspelt name
    would only fail when said) names a constant of bot/texts/."""
    from bot import texts

    views = {"texts", "theirs", "reader", "words", "runner_texts"}
    missing = [
        f"{path.relative_to(BOT.parent)}:{node.lineno}: {node.attr}"
        for path in sorted(BOT.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in views
        and node.attr.isupper()
        and not hasattr(texts, node.attr)
    ]
    assert missing == []
    assert "FIRST_PAGE_TITLE" in {n for n in dir(texts) if n.isupper()}  # the scan looks where names are
