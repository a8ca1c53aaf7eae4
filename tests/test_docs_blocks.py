"""Every command and Python block of the docs runs as written.

As SimPy runs the examples of its documentation, this module runs the blocks
of every page under ``docs/`` (and ``README.md`` outside its Quick start,
which ``tests/test_readme.py`` covers), one test per block, ``file:line``
as its id:

- `````console````` blocks: each ``$ `` line is a command (a line ending in
  ``\\`` continues on the next); the lines after it, up to the next ``$ ``,
  are its shown output. Each shown line must appear in the command's output
  (standard output and error together), in order, other lines allowed in
  between; ``...`` or ``…`` stands for any text, within a line or as lines
  of their own, and runs of spaces match any run of spaces. Lines starting
  with ``#`` are comments, except ``# exit N``: the command must exit N.
  Otherwise it must exit 0, unless the next command is ``echo $?``, whose
  shown output then says the code.
- `````sh````` / `````bash````` blocks with ``$ `` lines are read the same
  way; without them the whole block is one script that must exit 0.
- `````python````` blocks run in one namespace per page. An expression
  followed by a comment that is a Python literal (``len(x)  # 25``, or the
  literal alone on the next line) must equal it; a ``print(...)`` followed
  by a comment must print that (``...`` for any text); a ``test_*`` function
  the block defines without parameters is called.
- A block of any language with a title (`````yaml title="broken.yaml"`````)
  is written to that file, for the page's later blocks to use.

The blocks of a page run in order, in one directory per page holding a copy
of the repository's ``scenarios/`` and ``examples/`` (and the flawed plan
sets of ``tests/check/`` the checking guide shows), with ``cmdsim`` (and
``.venv/bin/cmdsim``) the entry point of this interpreter's environment.
A test of a later block first runs the page's earlier blocks. Commands that
would change the machine or never end (``pip``, ``apt-get``, ``sudo``,
``dask``) stop with an error instead.

On the line before a fence (blank lines allowed between) an HTML comment
changes how the block is tested:

- ``<!-- docs-test: skip (reason) -->``: not run (a server, a browser, a
  human at the keyboard, an installation); the reason is required.
- ``<!-- docs-test: any-output (reason) -->``: run, exit codes checked, the
  shown output not compared (it varies from run to run or is abridged).
- ``<!-- docs-test: cwd (examples/planning-office) -->``: run in that
  directory of the page's copy (as a planning office runs its tests from
  its own root).
"""

from __future__ import annotations

import ast
import contextlib
import io
import itertools
import linecache
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import tokenize
import traceback
from dataclasses import dataclass, field
from inspect import signature
from pathlib import Path

import pytest

# Runs in the default suite; `-m "not docs"` leaves it out while editing code.
pytestmark = pytest.mark.docs

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
README = ROOT / "README.md"
VENV_BIN = Path(sys.executable).parent  # not resolved: the venv's bin, not the base Python's

#: What each page's directory holds, copied from the repository.
COPIED = ("scenarios", "examples", "tests/check/flawed", "tests/check/flawed_refs")
#: Commands a docs block may show but the tests must never run.
GUARDED = ("pip", "pip3", "apt-get", "apt", "sudo", "dask")
SHELLS = {"console", "sh", "bash", "shell"}
DIRECTIVES = {"skip", "any-output", "cwd"}
BLOCK_TIMEOUT = 120.0  # seconds; the whole docs run is meant to take about two minutes

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`]*)$")
TITLE = re.compile(r"""\btitle=(?:"([^"]*)"|'([^']*)'|(\S+))""")
DIRECTIVE = re.compile(
    r"^\s*<!--\s*docs-test:\s*(?P<what>[\w-]+)\s*(?:\((?P<reason>.*)\))?\s*-->\s*$"
)
EXIT = re.compile(r"^#\s*exit\s+(\d+)\s*$")
MARKER = "\x1edocs-test-rc"
MARKER_LINE = re.compile(rf"\n?{MARKER} (\d+) (\d+)\n")


@dataclass(frozen=True)
class Block:
    """One fenced block of a page."""

    page: str  # relative to the repository root
    line: int  # of the opening fence, 1-based
    lang: str
    title: str | None
    body: str
    directives: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.page}:{self.line}"

    @property
    def runnable(self) -> bool:
        if self.lang == "python":
            return True
        if self.lang in SHELLS:
            return bool(commands(self.body)) or self.lang != "console"
        return False


@dataclass
class Command:
    """A ``$ `` line of a console block with what the docs show after it."""

    text: str
    shown: list[str] = field(default_factory=list)
    exit: int | None = 0  # None: not checked (an ``echo $?`` follows)


def parse_blocks(path: Path, root: Path = ROOT) -> list[Block]:
    """Every fenced block of a Markdown file, with the directives above it."""
    lines = path.read_text(encoding="utf-8").splitlines()
    page = path.relative_to(root).as_posix()
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if not opening:
            i += 1
            continue
        indent, fence, info = opening["indent"], opening["fence"], opening["info"].strip()
        end = i + 1
        while end < len(lines):
            closing = FENCE.match(lines[end])
            if (
                closing
                and closing["fence"][0] == fence[0]
                and len(closing["fence"]) >= len(fence)
                and not closing["info"].strip()
            ):
                break
            end += 1
        body = "\n".join(_dedent(line, indent) for line in lines[i + 1 : end])
        title = TITLE.search(info)
        blocks.append(
            Block(
                page=page,
                line=i + 1,
                lang=info.split()[0].lower() if info else "",
                title=next(g for g in title.groups() if g is not None) if title else None,
                body=body + "\n" if body else "",
                directives=_directives_above(lines, i),
            )
        )
        i = end + 1
    return blocks


def _dedent(line: str, indent: str) -> str:
    return line[len(indent) :] if line.startswith(indent) else line.lstrip()


def _directives_above(lines: list[str], i: int) -> dict[str, str]:
    found: dict[str, str] = {}
    j = i - 1
    while j >= 0 and not lines[j].strip():
        j -= 1
    while j >= 0 and (match := DIRECTIVE.match(lines[j])):
        found[match["what"]] = (match["reason"] or "").strip()
        j -= 1
    return found


def commands(body: str) -> list[Command]:
    """The ``$ `` commands of a console block and the output shown after each."""
    found: list[Command] = []
    lines = body.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("$ "):
            text = line[2:]
            while text.endswith("\\") and i + 1 < len(lines):
                i += 1
                text += "\n" + lines[i]
            found.append(Command(text))
        elif found and (match := EXIT.match(line.strip())):
            found[-1].exit = int(match[1])
        elif found and line.strip() and not line.lstrip().startswith("#"):
            found[-1].shown.append(line)
        i += 1
    for before, after in itertools.pairwise(found):
        if after.text.strip() == "echo $?" and before.exit == 0:
            before.exit = None
    return found


def shown_pattern(shown: list[str]) -> re.Pattern[str]:
    """A regex matching output in which the shown lines appear in order."""
    parts = []
    for line in shown:
        text = line.strip()
        if not text.strip(".… "):
            continue  # a line of its own saying "more here"
        pieces = re.split(r"\.\.\.|…", text)
        words = [r"[ \t]+".join(map(re.escape, piece.split())) for piece in pieces]
        parts.append(r"^[ \t]*" + r".*?".join(words) + r"[ \t]*$")
    return re.compile(r".*?".join(parts), re.DOTALL | re.MULTILINE)


def output_shows(output: str, shown: list[str]) -> bool:
    """Whether every shown line appears in the output, in order."""
    return shown_pattern(shown).search(output.replace("\r\n", "\n")) is not None


def collect() -> list[Block]:
    pages = sorted(DOCS.rglob("*.md"))
    blocks = [block for page in pages for block in parse_blocks(page)]
    readme = README.read_text(encoding="utf-8")
    quick = re.search(r"^## Quick start\n.*?(?=^## )", readme, flags=re.MULTILINE | re.DOTALL)
    span = (
        (readme[: quick.start()].count("\n") + 1, readme[: quick.end()].count("\n") + 1)
        if quick
        else (0, 0)
    )
    blocks += [b for b in parse_blocks(README) if not span[0] <= b.line <= span[1]]
    return blocks


BLOCKS = collect()
RUNNABLE = [block for block in BLOCKS if block.runnable]


class Page:
    """A page's directory and Python namespace, and how far its blocks have run."""

    def __init__(self, page: str, where: Path, *, copy: bool = True) -> None:
        self.page = page
        self.dir = where
        self.namespace: dict[str, object] = {"__name__": f"docs:{page}"}
        self.steps = [b for b in BLOCKS if b.page == page and (b.runnable or b.title)]
        self.done = 0
        if not copy:
            return
        for name in COPIED:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, where / name, ignore=shutil.ignore_patterns("__pycache__"))
        venv = where / ".venv" / "bin"
        venv.mkdir(parents=True)
        (venv / "cmdsim").symlink_to(VENV_BIN / "cmdsim")
        for name in ("python", "python3"):
            (venv / name).symlink_to(sys.executable)

    def cwd(self, block: Block) -> Path:
        """Where the block runs: the page's directory or the ``cwd`` directive's."""
        where = (self.dir / block.directives.get("cwd", ".")).resolve()
        assert where.is_relative_to(self.dir.resolve()) and where.is_dir(), (
            f"{block.id}: no directory {block.directives['cwd']!r} in the page's copy"
        )
        return where

    def run_through(self, block: Block, guard: Path) -> None:
        """Run the page's blocks before ``block`` (their own tests judge them), then it."""
        index = self.steps.index(block)
        while self.done < index:
            step = self.steps[self.done]
            self.done += 1
            if "skip" in step.directives:
                continue
            with contextlib.suppress(Exception, pytest.fail.Exception):
                run_block(step, self, guard)
        self.done = index + 1
        run_block(block, self, guard)


def run_block(block: Block, page: Page, guard: Path) -> None:
    if block.title:
        write_file(block, page.dir)
    if block.lang == "python":
        run_python(block, page)
    elif block.lang in SHELLS:
        run_shell(block, page.cwd(block), guard)


def write_file(block: Block, where: Path) -> None:
    assert block.title is not None
    target = (where / block.title).resolve()
    assert target.is_relative_to(where.resolve()), f"{block.id}: title outside the page's dir"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(block.body, encoding="utf-8")


def run_python(block: Block, page: Page) -> None:
    out = io.StringIO()
    before = dict(page.namespace)
    page.namespace["__docs_expect__"] = _expect
    page.namespace["__docs_print__"] = _print
    # Tracebacks then quote the page's own lines, wherever the block runs.
    text = (ROOT / block.page).read_text(encoding="utf-8") if (ROOT / block.page).is_file() else ""
    linecache.cache[block.page] = (len(text), None, text.splitlines(True), block.page)
    try:
        code = compile(checked_python(block), block.page, "exec")
        with contextlib.chdir(page.cwd(block)), contextlib.redirect_stdout(out):
            exec(code, page.namespace)
            for name, value in list(page.namespace.items()):
                made_here = callable(value) and before.get(name) is not value
                if name.startswith("test_") and made_here and not signature(value).parameters:
                    value()  # the block's own test, where it needs no fixture
    except Exception:
        pytest.fail(
            f"{block.id}: the Python block raised\n{traceback.format_exc()}\n"
            f"--- its output ---\n{out.getvalue()}",
            pytrace=False,
        )


def checked_python(block: Block) -> ast.Module:
    """The block's code, with each shown result checked.

    An expression statement followed by a comment that is a Python literal
    (``len(x)  # 25``, or the literal alone on the next line) must equal it;
    a ``print(...)`` followed by a comment must print that line (``...`` for
    any text). Line numbers are the page's.
    """
    tree = ast.parse(block.body, block.page)
    comments: dict[int, tuple[str, bool]] = {}  # line -> (text, alone on its line)
    code_lines: set[int] = set()
    for token in tokenize.generate_tokens(io.StringIO(block.body).readline):
        if token.type == tokenize.COMMENT:
            comments[token.start[0]] = (token.string[1:].strip(), token.start[0] not in code_lines)
        elif token.type not in {tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT}:
            code_lines.add(token.start[0])

    class Checks(ast.NodeTransformer):
        def visit_Expr(self, node: ast.Expr) -> ast.AST:
            line = node.end_lineno or node.lineno
            value = node.value
            is_print = (
                isinstance(value, ast.Call)
                and isinstance(value.func, ast.Name)
                and value.func.id == "print"
            )
            said = comments.get(line)
            if said is None or said[1]:  # no comment after the code on its line
                below = None if is_print else comments.get(line + 1)
                said = below if below and below[1] else None
            if said is None:
                return node
            where = ast.Constant(block.line + line)
            if is_print:
                assert isinstance(value, ast.Call)
                call = ast.Call(
                    ast.Name("__docs_print__", ast.Load()),
                    [ast.Constant(said[0]), where, *value.args],
                    value.keywords,
                )
                return ast.copy_location(ast.Expr(call), node)
            try:
                ast.literal_eval(said[0])
            except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
                return node  # prose, not a result
            call = ast.Call(
                ast.Name("__docs_expect__", ast.Load()), [value, ast.Constant(said[0]), where], []
            )
            return ast.copy_location(ast.Expr(call), node)

    tree = ast.fix_missing_locations(Checks().visit(tree))
    ast.increment_lineno(tree, block.line)
    return tree


def _expect(value: object, shown: str, line: int) -> None:
    expected = ast.literal_eval(shown)
    assert value == expected, f"line {line}: the docs show {shown}, the code gives {value!r}"


def _print(shown: str, line: int, *args: object, **kwargs: object) -> None:
    text = io.StringIO()
    print(*args, **{**kwargs, "file": text})  # type: ignore[call-overload]
    print(text.getvalue(), end="")
    assert output_shows(text.getvalue(), [shown]), (
        f"line {line}: the docs show it prints {shown!r}, it printed {text.getvalue()!r}"
    )


def shell_env(guard: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"COLUMNS", "LINES", "CI"}}
    env["PATH"] = os.pathsep.join([str(guard), str(VENV_BIN), env.get("PATH", "")])
    env["PYTHONUNBUFFERED"] = "1"  # stdout and stderr interleave as on a terminal
    env["PYTHONIOENCODING"] = "utf-8"
    env.pop("VIRTUAL_ENV", None)
    return env


def run_shell(block: Block, where: Path, guard: Path) -> None:
    listed = commands(block.body)
    if listed:
        script = "set -o pipefail\n" + "".join(
            f"{c.text}\n__rc=$?; printf '\\n{MARKER} {n} %d\\n' \"$__rc\"; (exit $__rc)\n"
            for n, c in enumerate(listed)
        )
    else:
        script = "set -eo pipefail\n" + block.body
    started = time.monotonic()
    process = subprocess.Popen(
        ["bash", "-c", script],
        cwd=where,
        env=shell_env(guard),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # a timeout kills the whole group, children too
    )
    try:
        raw, _ = process.communicate(timeout=BLOCK_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        raw, _ = process.communicate()
        pytest.fail(
            f"{block.id}: still running after {BLOCK_TIMEOUT:.0f} s; use a smaller command "
            f"in the docs, or mark it <!-- docs-test: skip (reason) -->\n"
            f"{raw.decode('utf-8', 'replace')}",
            pytrace=False,
        )
    output = raw.decode("utf-8", "replace")
    elapsed = time.monotonic() - started
    if not listed:
        assert process.returncode == 0, (
            f"{block.id}: the script exited {process.returncode}\n{output}"
        )
        return
    pieces = MARKER_LINE.split(output)
    # split gives [out0, n0, rc0, out1, n1, rc1, ..., rest]
    results = {
        int(pieces[k + 1]): (pieces[k], int(pieces[k + 2])) for k in range(0, len(pieces) - 2, 3)
    }
    problems = []
    for n, command in enumerate(listed):
        if n not in results:
            problems.append(f"$ {command.text}\n  did not finish (the shell stopped):\n{output}")
            break
        out, rc = results[n]
        if command.exit is not None and rc != command.exit:
            problems.append(f"$ {command.text}\n  exited {rc}, the docs say {command.exit}")
        if (
            command.shown
            and "any-output" not in block.directives
            and not output_shows(out, command.shown)
        ):
            problems.append(
                f"$ {command.text}\n  the output lacks what the docs show:\n"
                + "\n".join(f"    {line}" for line in command.shown)
            )
        if problems and problems[-1].startswith(f"$ {command.text}"):
            problems[-1] += "\n  --- its output ---\n" + _indent(out)
    assert not problems, f"{block.id} ({elapsed:.1f} s):\n" + "\n".join(problems)


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines()[-60:])


@pytest.fixture(scope="session")
def guard(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory of stand-ins for commands the docs tests must never run."""
    where = tmp_path_factory.mktemp("docs-guard")
    for name in GUARDED:
        stub = where / name
        stub.write_text(
            "#!/bin/sh\n"
            f"echo \"docs-test: '{name}' is not run by the tests; mark the block "
            f'<!-- docs-test: skip (reason) -->" >&2\nexit 97\n',
            encoding="utf-8",
        )
        stub.chmod(0o755)
    return where


@pytest.fixture(scope="session")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Page]:
    """Each page's state, made when its first block runs."""

    class Pages(dict[str, Page]):
        def __missing__(self, page: str) -> Page:
            self[page] = Page(page, tmp_path_factory.mktemp(re.sub(r"\W", "-", page)))
            return self[page]

    return Pages()


@pytest.mark.parametrize("block", RUNNABLE, ids=[block.id for block in RUNNABLE])
def test_docs_block(block: Block, pages: dict[str, Page], guard: Path) -> None:
    if "skip" in block.directives:
        pytest.skip(block.directives["skip"])
    pages[block.page].run_through(block, guard)


# --- the harness itself -----------------------------------------------------


def test_blocks_are_collected_from_every_guide() -> None:
    pages = {block.page for block in RUNNABLE}
    for page in ("getting-started.md", "cli.md", "reports.md", "drills.md", "testing.md"):
        assert f"docs/{page}" in pages
    assert len(RUNNABLE) >= 40
    broken = next(b for b in BLOCKS if b.title == "broken.yaml")
    assert broken.page == "docs/getting-started.md"
    assert broken.body.startswith("id: demo\n")


def test_directives_are_known_and_skips_give_a_reason() -> None:
    for block in BLOCKS:
        unknown = set(block.directives) - DIRECTIVES
        assert not unknown, f"{block.id}: unknown docs-test directive {sorted(unknown)}"
        for what in DIRECTIVES:
            if what in block.directives:
                assert block.directives[what], f"{block.id}: '{what}' needs a (reason)"


def test_blocks_that_install_or_serve_are_skipped() -> None:
    """The guard stops ``pip`` on PATH; ``.venv/bin/pip`` or ``python -m pip``
    would get past it, so such blocks must say they are skipped."""
    changes_the_machine = re.compile(r"\bpip3?\b.*\binstall\b|-m venv\b|\bapt(-get)?\b|\bsudo\b")
    for block in RUNNABLE:
        if block.lang in SHELLS and "skip" not in block.directives:
            assert not changes_the_machine.search(block.body), (
                f"{block.id}: installs or changes the machine; mark it "
                "<!-- docs-test: skip (reason) -->"
            )


def test_parse_blocks_reads_fences_titles_and_directives(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "text\n\n"
        '```yaml title="a.yaml"\nid: x\n```\n\n'
        "<!-- docs-test: skip (needs a browser) -->\n"
        "```console\n$ cmdsim run \\\n    --seed 3\nshown\n# exit 2\n$ echo $?\n2\n```\n"
        "- item\n\n  ```python\n  print(1)\n  ```\n",
        encoding="utf-8",
    )
    yaml_block, console, python = parse_blocks(page, root=tmp_path)
    assert (yaml_block.lang, yaml_block.title, yaml_block.body) == ("yaml", "a.yaml", "id: x\n")
    assert yaml_block.line == 3
    assert console.directives == {"skip": "needs a browser"}
    [run, echo] = commands(console.body)
    assert run.text == "cmdsim run \\\n    --seed 3"
    assert (run.shown, run.exit) == (["shown"], 2)
    assert (echo.text, echo.shown, echo.exit) == ("echo $?", ["2"], 0)
    assert (python.lang, python.body) == ("python", "print(1)\n")


def test_an_echo_of_the_exit_code_takes_over_its_check() -> None:
    before, _ = commands("$ cmdsim validate bad.yaml\nbad.yaml:1:1: x\n$ echo $?\n2\n")
    assert before.exit is None


def test_shown_output_matching() -> None:
    output = 'ok: a\n{\n  "channels": [\n    1\n  ],\n  "towns": 36,\n  "z": 1\n}\n'
    assert output_shows(output, ["ok: a"])
    assert output_shows(output, ["{", '  "channels": [ ... ],', "  ...", '  "towns": 36,', "}"])
    assert output_shows(output, ['"towns":   36,'])  # spaces are spaces
    assert not output_shows(output, ['"towns": 37,'])
    assert not output_shows(output, ['"towns": 36,', '"channels": [ ... ],'])  # order counts
    assert not output_shows(output, ["ok"])  # whole lines, not parts of one
    assert output_shows(output, ["ok…"])


def test_a_failing_command_or_a_wrong_output_fails_the_block(tmp_path: Path) -> None:
    guard_dir = tmp_path / "guard"
    guard_dir.mkdir()
    block = Block("docs/x.md", 1, "console", None, "$ echo one\ntwo\n")
    with pytest.raises(AssertionError, match="lacks what the docs show"):
        run_shell(block, tmp_path, guard_dir)
    block = Block("docs/x.md", 1, "console", None, "$ sh -c 'exit 3'\n")
    with pytest.raises(AssertionError, match="exited 3, the docs say 0"):
        run_shell(block, tmp_path, guard_dir)
    run_shell(
        Block("docs/x.md", 1, "console", None, "$ sh -c 'exit 3'\n# exit 3\n"), tmp_path, guard_dir
    )
    run_shell(
        Block("docs/x.md", 1, "console", None, "$ sh -c 'exit 2'\n$ echo $?\n2\n"),
        tmp_path,
        guard_dir,
    )


def test_python_blocks_check_the_results_they_show(tmp_path: Path) -> None:
    def run(code: str) -> None:
        run_python(
            Block("docs/x.md", 10, "python", None, code), Page("docs/x.md", tmp_path, copy=False)
        )

    run("x = [1, 2]\nlen(x)  # 2\nx\n# [1, 2]\nprint(3, 4)  # 3 4\nx  # the list, as prose\n")
    run("for n in (1, 2):\n    print('n', n)  # n ...\n")
    with pytest.raises(pytest.fail.Exception, match=r"line 12: the docs show 3, the code gives 2"):
        run("x = [1, 2]\nlen(x)  # 3\n")
    with pytest.raises(pytest.fail.Exception, match=r"line 12: the docs show \[2\]"):
        run("x = [1]\nx\n# [2]\n")
    with pytest.raises(pytest.fail.Exception, match=r"it printed '1 2\\n'"):
        run("print(1, 2)  # 1 3\n")
    with pytest.raises(pytest.fail.Exception, match=r"docs/x\.md\", line 12"):
        run("x = 1\nraise ValueError(x)\n")


def test_a_python_blocks_own_tests_run(tmp_path: Path) -> None:
    page = Page("docs/x.md", tmp_path, copy=False)
    with pytest.raises(pytest.fail.Exception, match="AssertionError"):
        run_python(
            Block("docs/x.md", 1, "python", None, "def test_it():\n    assert 1 == 2\n"), page
        )
    run_python(
        Block("docs/x.md", 1, "python", None, "def test_fixture(tmp_path):\n    assert 0\n"), page
    )


def test_the_cli_reference_names_every_option() -> None:
    """Each ``cmdsim NAME`` section of cli.md mentions every option NAME takes."""
    import click

    from cmdsim.cli import COMMANDS, main

    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    heads = list(re.finditer(r"^## `cmdsim (\w+)`", text, flags=re.MULTILINE))
    sections = {
        head[1]: text[head.start() : heads[k + 1].start() if k + 1 < len(heads) else len(text)]
        for k, head in enumerate(heads)
    }
    missing = []
    with click.Context(main) as ctx:
        for name in COMMANDS:
            command = main.get_command(ctx, name)
            assert command is not None
            commands = [command]
            if isinstance(command, click.Group):
                commands += [command.get_command(ctx, sub) for sub in command.list_commands(ctx)]
            for each in commands:
                for param in each.params if each else ():
                    opts = [
                        o for o in param.opts if o.startswith("-") and o not in {"-h", "--help"}
                    ]
                    said = sections.get(name, "")
                    if opts and not any(re.search(rf"(?<![\w-]){o}\b", said) for o in opts):
                        missing.append(f"cmdsim {name} {opts[-1]}")
    assert not missing, "docs/cli.md does not mention:\n" + "\n".join(missing)
