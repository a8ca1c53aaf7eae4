"""Reading a file safely: size limit, strict UTF-8, safe YAML composition.

Only a safe YAML composer (libyaml's where PyYAML has it, else PyYAML's
``SafeLoader``) runs on the text; nothing here constructs Python objects
beyond plain scalars.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import yaml

from cmdsim.errors import Problem
from cmdsim.io.slips import parser_slip, yaml_slip

MAX_BYTES = 16 * 1024 * 1024
"""Files larger than this are refused before they are read."""


class ReadFailed(Exception):
    """Carries the problem that stopped a file from being read."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def read_text(path: Path, name: str) -> str:
    """The file's text, decoded as UTF-8 (a BOM is allowed).

    ``name`` is how messages name the file.
    """
    try:
        if path.is_dir():
            raise ReadFailed(Problem("is a directory, not a file", file=name))
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            # Devices and pipes could block or never end.
            raise ReadFailed(Problem("is not a regular file", file=name))
        size = info.st_size
        if size > MAX_BYTES:
            raise ReadFailed(
                Problem(
                    f"file is {size:,} bytes, more than the limit of {MAX_BYTES:,}",
                    file=name,
                )
            )
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise ReadFailed(Problem("file not found", file=name)) from None
    except UnicodeEncodeError:
        # A Chinese name read from a file (a log, an include) under an ASCII
        # locale with Python's UTF-8 mode off: the OS cannot be asked for it.
        problem = Problem(
            "this file name cannot be written in the locale's encoding "
            f"({sys.getfilesystemencoding()}); use a UTF-8 locale, e.g. LANG=C.UTF-8",
            file=name,
        )
        raise ReadFailed(problem) from None
    except ValueError:
        # The OS takes no file name with a NUL character in it.
        problem = Problem("not a valid file name (it holds a NUL character)", file=name)
        raise ReadFailed(problem) from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ReadFailed(Problem(f"cannot read file: {reason}", file=name)) from None
    if len(data) > MAX_BYTES:
        # The file grew between stat and read.
        raise ReadFailed(Problem(f"file is more than the limit of {MAX_BYTES:,} bytes", file=name))
    return decode(data, name)


_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)


def _utf16_or_32(data: bytes) -> str | None:
    """The encoding YAML's rule (YAML 1.2, 5.2) finds for a file saved as
    UTF-16 or UTF-32 (Windows Notepad's "Unicode"): by its byte-order mark,
    or, without one, by the zero bytes around the first ASCII character."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    head = data[:4]
    if len(head) == 4 and head[:3] == b"\x00\x00\x00" and head[3]:
        return "utf-32-be"
    if len(head) == 4 and head[1:] == b"\x00\x00\x00" and head[0]:
        return "utf-32-le"
    if len(head) >= 2 and head[0] == 0 and head[1]:
        return "utf-16-be"
    if len(head) >= 2 and head[1] == 0 and head[0]:
        return "utf-16-le"
    return None


def decode(data: bytes, name: str) -> str:
    """UTF-8 (a BOM is allowed), or UTF-16/32 as YAML detects them; the first
    bad byte is reported with its line and column."""
    wide = _utf16_or_32(data)
    if wide is not None:
        try:
            return data.decode(wide).removeprefix("\ufeff")
        except UnicodeDecodeError as exc:
            problem = f"not {wide.upper()[:6]}: byte {exc.start} cannot be decoded ({exc.reason})"
            raise ReadFailed(Problem(problem, file=name)) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)
        line_start = data.rfind(b"\n", 0, start) + 1
        line = data.count(b"\n", 0, start) + 1
        column = len(data[line_start:start].decode("utf-8", errors="replace")) + 1
        raise ReadFailed(
            Problem(
                f"not UTF-8: byte 0x{data[start]:02x} cannot be decoded{_legacy_hint(data, start)}",
                file=name,
                line=line,
                column=column,
            )
        ) from None


def _legacy_hint(data: bytes, start: int) -> str:
    """What to do with a file saved in GBK/GB18030 (Chinese Windows' "ANSI"),
    when it reads as that: the loader does not guess an encoding, since the
    same bytes read as other legacy encodings too, and a guess would make the
    plan's meaning depend on it."""
    shown = read_as_gbk(data, data.count(b"\n", 0, start) + 1)
    if shown is None:
        return ""
    return (
        f"; read as GBK/GB18030 (Chinese Windows' ANSI) this line says {shown!r}:"
        " save the file as UTF-8 (Notepad: Save As, Encoding UTF-8)"
    )


def read_as_gbk(data: bytes, line: int) -> str | None:
    """Line ``line`` (from 1) of ``data`` as GBK/GB18030 reads it, stripped and
    cut to 30 characters, when all of ``data`` reads as that text: Chinese in
    it and no control character but tab and line ends (a binary file's bytes
    often read as GB18030 too); ``None`` otherwise.  For a message that says
    a file not UTF-8 looks saved as GBK, never to read the file by."""
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    if not any("\u4e00" <= character <= "\u9fff" for character in text):
        return None
    if any(
        (character < " " or "\x7f" <= character <= "\x9f") and character not in "\t\r\n"
        for character in text
    ):
        return None
    lines = text.split("\n")
    shown = lines[line - 1].strip() if line <= len(lines) else ""
    return shown if len(shown) <= 30 else shown[:29] + "…"


def _position(text: str, index: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def _codepoint(character: object) -> str:
    code = ord(character) if isinstance(character, str) else character
    return f"U+{code:04X}" if isinstance(code, int) else repr(character)


def _quick_resolver(base: Any) -> Any:
    """``base`` (libyaml's safe loader) resolving most plain scalars by their
    first character alone: PyYAML's resolver, called by the C composer for
    every scalar, tries regular expressions only for the characters that
    begin a number, a boolean, a null or a timestamp (``1``, ``t``, ``~``);
    an id like ``police`` never matches one, so it is a string at once."""

    class QuickResolver(base):  # type: ignore[misc]
        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            if (
                kind is yaml.ScalarNode
                and implicit[0]
                and value
                and value[0] not in self.yaml_implicit_resolvers
                and None not in self.yaml_implicit_resolvers
                and not self.yaml_path_resolvers
            ):
                return self.DEFAULT_SCALAR_TAG
            return super().resolve(kind, value, implicit)

    return QuickResolver


_FAST_LOADER: Any = (
    _quick_resolver(yaml.CSafeLoader) if getattr(yaml, "CSafeLoader", None) is not None else None
)


def compose(text: str, name: str) -> yaml.Node | None:
    """The YAML node graph of a single-document text (``None`` when empty).

    libyaml's composer, where PyYAML was built with it, is several times
    faster on the bundled district; its marks are the same, but its error
    messages and positions are not, so a text it refuses is composed again
    by the pure-Python loader and every message stays the one documented.
    """
    if _FAST_LOADER is not None:
        fast = _FAST_LOADER(text)
        try:
            node: yaml.Node | None = fast.get_single_node()
        except (yaml.YAMLError, RecursionError):
            pass
        else:
            return node
        finally:
            fast.dispose()
    loader: yaml.SafeLoader | None = None
    try:
        # The reader checks the characters as soon as it is built.
        loader = yaml.SafeLoader(text)
        return loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            message = f"{exc.problem} ({exc.context})"
        if mark is None:
            raise ReadFailed(Problem(f"invalid YAML: {message}", file=name)) from None
        line, column = mark.line + 1, mark.column + 1
        slip = yaml_slip(text, line, column)
        if slip is not None:
            # The full-width colon or tab that broke it, where it stands.
            line, column, message = slip
        elif (plain := parser_slip(exc)) is not None:
            line, column, message = plain
        raise ReadFailed(
            Problem(f"invalid YAML: {message}", file=name, line=line, column=column)
        ) from None
    except yaml.reader.ReaderError as exc:
        line, column = _position(text, exc.position)
        raise ReadFailed(
            Problem(
                f"invalid YAML: character {_codepoint(exc.character)} is not allowed",
                file=name,
                line=line,
                column=column,
            )
        ) from None
    except yaml.YAMLError as exc:
        raise ReadFailed(Problem(f"invalid YAML: {exc}", file=name)) from None
    except RecursionError:
        raise ReadFailed(Problem("invalid YAML: nesting is too deep", file=name)) from None
    finally:
        if loader is not None:
            loader.dispose()


class DuplicateKey(yaml.constructor.ConstructorError):
    """A key written twice in one mapping of a data file."""


class DataLoader(yaml.SafeLoader):
    """PyYAML's safe loader for the small files read as plain data (MSELs,
    drill scripts, exercise facts): a date that is no date (``2025-13-01``)
    is a YAML error at its place rather than a ``ValueError``, and a key
    written twice is an error at the second (PyYAML keeps the last without a
    word, so ``time: "+00:40"`` then ``time: "+09:40"`` silently moved an
    inject; scenario files already refuse it)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _value in node.value:
            # A merge (<<) may restate a key on purpose: only keys written here count.
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":merge"):
                continue
            key = self.construct_object(key_node)
            if not isinstance(key, Hashable):  # pragma: no cover - scalars are hashable
                continue
            if key in seen:
                raise DuplicateKey(
                    None,
                    None,
                    f"duplicate key {key!r} (first at line {seen[key]})",
                    key_node.start_mark,
                )
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


def _timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        raise yaml.constructor.ConstructorError(
            None, None, f"{node.value!r} is not a date: {exc}", node.start_mark
        ) from None


DataLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def load_data(path: Path, name: str, loader: type[yaml.SafeLoader] = DataLoader) -> Any:
    """The plain data of a small YAML (or JSON) file, read as :func:`read_text`
    reads (a directory, a missing file, a bad byte, a BOM) and composed by
    ``loader`` (a :class:`DataLoader`).  Raises :class:`ReadFailed` with the
    problem located at its line and column."""
    text = read_text(path, name)
    try:
        return yaml.load(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            message = f"{exc.problem} ({exc.context})"
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
        slip = None if line is None or column is None else yaml_slip(text, line, column)
        if slip is not None and not isinstance(exc, DuplicateKey):
            line, column, message = slip
        elif not isinstance(exc, DuplicateKey) and (plain := parser_slip(exc)) is not None:
            line, column, message = plain
        if not isinstance(exc, DuplicateKey):
            message = f"invalid YAML: {message}"
        problem = Problem(message, file=name, line=line, column=column)
        raise ReadFailed(problem) from None
    except yaml.reader.ReaderError as exc:
        line, column = _position(text, exc.position)
        problem = Problem(
            f"invalid YAML: character {_codepoint(exc.character)} is not allowed",
            file=name,
            line=line,
            column=column,
        )
        raise ReadFailed(problem) from None
    except yaml.YAMLError as exc:
        raise ReadFailed(Problem(f"invalid YAML: {exc}", file=name)) from None
    except RecursionError:
        raise ReadFailed(Problem("invalid YAML: nesting is too deep", file=name)) from None


def display_name(path: str | os.PathLike[str]) -> str:
    """How messages name a path the user gave: as given, relative stays relative."""
    return os.fspath(path)
