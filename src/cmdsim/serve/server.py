"""Start a served exercise: a new one or a resumed journal, on uvicorn.

:func:`open_session` builds the :class:`~cmdsim.serve.session.Session` from
files (as ``cmdsim serve`` does); :class:`Running` runs the server in a
background thread (tests and examples), :func:`serve_forever` in the
foreground until Ctrl-C.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from cmdsim.errors import ScenarioError
from cmdsim.exercise.drill import Runner, read_log
from cmdsim.exercise.run import check_decisions, check_replay, logged_exercise, open_exercise
from cmdsim.model import Scenario
from cmdsim.serve.session import Session


def open_session(
    *,
    log: Path,
    scenario_path: Path | None = None,
    msel_path: Path | None = None,
    play: Iterable[str] = (),
    seed: int | None = None,
    columns: Mapping[str, str] | None = None,
    resume: bool = False,
    runner: Runner | None = None,
    scenario: Scenario | None = None,
    tokens: Mapping[str, str] | None = None,
) -> Session:
    """A session for a new exercise (``log`` must not exist) or, with
    ``resume``, for the exercise ``log`` records, at the clock it reached.

    ``seed`` is 1 unless given.  Resumed, the roles, the MSEL, its columns
    and the seed are the log's: giving any of them is an error (they would
    have no effect).  A new exercise without ``scenario_path`` plays the
    bundled flagship drill,
    as ``cmdsim serve`` without SCENARIO does
    (:func:`cmdsim.exercise.run.exercise_scenario`); a resumed one, the
    scenario its log names.  An ended log whose events the resumed run does
    not give (the engine changed since) is an error at the first that
    differs (:func:`~cmdsim.exercise.run.check_replay`)."""
    if resume:
        given = {"play": tuple(play), "msel_path": msel_path, "seed": seed, "columns": columns}
        ignored = [name for name, value in given.items() if value or value == 0]
        if ignored:
            # as cmdsim serve --resume: they would have no effect, unseen
            raise ScenarioError(
                "resume=True takes the roles, the MSEL, its columns and the seed from the "
                f"log: leave out {', '.join(ignored)}"
            )
        records = read_log(log)
        give = "SCENARIO (cmdsim serve SCENARIO --resume LOG)"
        exercise = logged_exercise(log, records, scenario_path, runner, scenario, give)
        session = Session.resume(exercise, records, log, tokens=tokens)
        check_decisions(exercise, records, str(log))
        # an ended log holds its events: resumed on a changed engine, its
        # rewrite (facts edited after the end) must not quietly change them
        check_replay(exercise, records, str(log))
        return session
    roles = tuple(play)
    if not roles:
        raise ScenarioError("give the roles people play: --play duty-room,general-hq,lead-hq")
    exercise = open_exercise(
        scenario_path, msel_path, roles, 1 if seed is None else seed, columns, runner, scenario
    )
    return Session.start(exercise, log, tokens=tokens)


def bind(host: str, port: int) -> socket.socket:
    """A listening socket (port 0: any free port), so the links can be
    printed before the server starts."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ScenarioError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.listen(64)
    sock.set_inheritable(True)
    return sock


def base_url(host: str, sock: socket.socket) -> str:
    """The address participants open: the LAN name when listening on all
    interfaces, else the host given."""
    port = sock.getsockname()[1]
    shown = host
    if host in ("0.0.0.0", "::", ""):
        shown = socket.gethostname()
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


def _server(session: Session, sock: socket.socket, **config: Any) -> Any:
    import uvicorn

    from cmdsim.serve.app import create_app

    settings = {"log_level": "warning", "timeout_graceful_shutdown": 1, **config}
    server = uvicorn.Server(uvicorn.Config(create_app(session), **settings))
    return server


def serve_forever(session: Session, sock: socket.socket, access_log: bool = False) -> None:
    """Serve until Ctrl-C (or SIGTERM)."""
    server = _server(session, sock, access_log=access_log)
    server.run(sockets=[sock])


class Running:
    """A server in a background thread: ``with Running(session) as url: ...``."""

    def __init__(self, session: Session, host: str = "127.0.0.1", port: int = 0) -> None:
        self.session = session
        self.sock = bind(host, port)
        self.url = base_url(host, self.sock)
        self.server = _server(session, self.sock, access_log=False)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True
        )

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the exercise server did not start")
            time.sleep(0.02)
        return self.url

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop the server and wait for its thread."""
        self.session.closing = True
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()
