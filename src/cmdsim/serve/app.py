"""The web application of ``cmdsim serve``: pages rendered on the server,
JSON actions, and server-sent events telling each page when to refresh.

Routes (``TOKEN`` is the facilitator's or a role's, from the links printed at
start; any other is 403):

- ``GET /f/TOKEN``: the facilitator's page; ``GET /p/TOKEN``: a player's;
- ``GET /api/TOKEN/state``: the page's data as JSON (what the page shows,
  nothing more); ``GET /api/TOKEN/parts``: the page's live parts as HTML;
- ``GET /api/TOKEN/stream``: server-sent events, one ``data: VERSION`` per change;
- ``POST /api/TOKEN/decide`` (players), ``/clock``, ``/inject``, ``/facts``,
  ``/improvement``, ``/end`` (the facilitator): JSON in, ``{"ok": text}`` or
  a refusal out (:func:`refused`: ``{"error": text, "field": name or null,
  "fields": [names]}``, a 403 of the API included).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from cmdsim.errors import CmdsimError
from cmdsim.exercise.drill import InjectError
from cmdsim.exercise.log import IMPROVEMENT_FIELDS
from cmdsim.exercise.policy import Refusal
from cmdsim.serve.forms import facts_from_form, improvement_from_form
from cmdsim.serve.session import OutOfRange, Session
from cmdsim.serve.visibility import FACILITATOR, ROLE_NAMES

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("cmdsim.serve", "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
)

CHOICES = {
    "take_over": "Take over coordination now",
    "decline": "Decline for now",
    "request": "Request escalation (the duty room decides the level)",
    "hold": "Hold the level",
    "lower": "Lower the level to",
    "close": "Close the response",
}
TICK = 0.25  # seconds between the running clock's steps


def render(name: str, **context: Any) -> str:
    """Render one of the package's templates."""
    return _ENV.get_template(name).render(choices=CHOICES, **context)


def create_app(session: Session, *, tick: float = TICK) -> Starlette:
    """The ASGI application serving ``session``; while it runs, a task moves
    the clock when the facilitator set it running."""

    def who(request: Request) -> str | None:
        return session.role_of(str(request.path_params.get("token", "")))

    def base(request: Request) -> str:
        return str(request.base_url).rstrip("/")

    def forbidden(api: bool = False) -> Response:
        text = "forbidden: this link's token is not valid"
        if api:
            return refused(403, text)
        return PlainTextResponse(text, status_code=403)

    async def facilitator_page(request: Request) -> Response:
        if who(request) != FACILITATOR:
            return forbidden()
        view = await run_in_threadpool(session.facilitator_view, base(request))
        token = request.path_params["token"]
        html = render("facilitator.html.j2", v=view, token=token, parts=_facilitator_parts(view))
        return HTMLResponse(html)

    async def player_page(request: Request) -> Response:
        role = who(request)
        if role is None or role == FACILITATOR:
            return forbidden()
        view = await run_in_threadpool(session.player_view, role)
        token = request.path_params["token"]
        html = render("player.html.j2", v=view, token=token, parts=_player_parts(view))
        return HTMLResponse(html)

    async def state(request: Request) -> Response:
        role = who(request)
        if role is None:
            return forbidden(api=True)
        if role == FACILITATOR:
            view = await run_in_threadpool(session.facilitator_view, base(request))
        else:
            view = await run_in_threadpool(session.player_view, role)
        return JSONResponse(view)

    async def parts(request: Request) -> Response:
        role = who(request)
        if role is None:
            return forbidden(api=True)
        if role == FACILITATOR:
            view = await run_in_threadpool(session.facilitator_view, base(request))
            found = _facilitator_parts(view)
        else:
            view = await run_in_threadpool(session.player_view, role)
            found = _player_parts(view)
        return JSONResponse({"version": view["version"], "parts": found})

    async def stream(request: Request) -> Response:
        if who(request) is None:
            return forbidden(api=True)

        async def changes() -> AsyncIterator[str]:
            seen = -1
            quiet = 0.0
            while not session.closing:
                if await request.is_disconnected():
                    break
                if session.version != seen:
                    seen = session.version
                    quiet = 0.0
                    yield f"data: {seen}\n\n"
                elif quiet >= 15:
                    quiet = 0.0
                    yield ": still here\n\n"
                await asyncio.sleep(0.2)
                quiet += 0.2

        headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
        return StreamingResponse(changes(), media_type="text/event-stream", headers=headers)

    def action(
        allowed: Callable[[str], bool], work: Callable[[str, dict[str, Any]], str]
    ) -> Callable[[Request], Awaitable[Response]]:
        async def handle(request: Request) -> Response:
            role = who(request)
            if role is None or not allowed(role):
                return forbidden(api=True)
            try:
                form = await request.json()
            except (json.JSONDecodeError, UnicodeDecodeError):
                return refused(400, "expected a JSON body")
            if not isinstance(form, dict):
                return refused(400, "expected a JSON object")
            try:
                done = await run_in_threadpool(work, role, form)
            except InjectError as exc:
                # an inject not fired (unknown, fired already) conflicts with
                # the exercise's state; a bad new one is unprocessable
                status = 409 if exc.field == "fire" else 422
                return refused(status, str(exc), *exc.fields, inject=exc.inject)
            except FieldError as exc:
                return refused(400, str(exc), exc.field)
            except OutOfRange as exc:
                return refused(422, str(exc), *([exc.field] if exc.field else []))
            except Refusal as exc:
                return refused(409, str(exc), *([exc.field] if exc.field else []))
            except CmdsimError as exc:
                return refused(409, str(exc))
            except (TypeError, ValueError) as exc:
                return refused(400, f"bad request: {exc}")
            return JSONResponse({"ok": done, "version": session.version})

        return handle

    def facilitator(role: str) -> bool:
        return role == FACILITATOR

    def player(role: str) -> bool:
        return role != FACILITATOR

    def decide(role: str, form: dict[str, Any]) -> str:
        _known_fields(form, DECIDE_FIELDS)
        return "recorded: " + session.decide(role, str(form.get("key") or ""), form)

    def clock(_role: str, form: dict[str, Any]) -> str:
        what = str(form.get("action") or "")
        if what in CLOCK_FIELDS:
            # minutes with run (or speed with step) would be a setting without effect
            _known_fields(form, ("action", *CLOCK_FIELDS[what]))
        if what == "next":
            session.step_next()
        elif what == "step":
            session.step(_number(form, "minutes", 10.0))
        elif what == "decision":
            session.run_to_decision()
        elif what == "run":
            session.run(_number(form, "speed", 10.0))
        elif what == "pause":
            session.pause()
        else:
            known = ", ".join(CLOCK_FIELDS)
            raise FieldError("action", f"unknown clock action {what!r} (actions: {known})")
        return f"clock at {session.clock()['elapsed']}"

    def inject(_role: str, form: dict[str, Any]) -> str:
        if "fire" in form:
            _known_fields(form, ("fire",))
            fired = session.fire(_string(form, "fire"))
            return f"inject {fired.id} fired"
        _known_fields(form, INJECT_FIELDS)
        added = session.add_inject(
            _string(form, "message"),
            _string(form, "to"),
            _string(form, "from"),
            _number(form, "minutes", 0.0),
            hazard=_string(form, "hazard"),
            town=_string(form, "town"),
            level=_string(form, "level"),
            # a JSON object, or the form's text: checked where the inject is
            figures=form.get("figures"),
        )
        return f"inject {added.id} added"

    def facts(_role: str, form: dict[str, Any]) -> str:
        _known_fields(form, FACTS_FIELDS)
        session.set_facts(facts_from_form(form))
        return "exercise facts recorded"

    def improvement(_role: str, form: dict[str, Any]) -> str:
        _known_fields(form, (*IMPROVEMENT_FIELDS, "index", "remove"))
        index = form.get("index")
        if index in (None, ""):
            if form.get("remove"):
                raise FieldError("remove", "removes the item given by index: give index")
            session.add_improvement(improvement_from_form(form))
            return "improvement item added"
        if isinstance(index, bool) or not str(index).isdigit():
            raise FieldError("index", f"expected an item's number from 0, not {index!r}")
        number = int(str(index))
        if form.get("remove"):
            session.edit_improvement(number, None)
            return "improvement item removed"
        session.edit_improvement(number, improvement_from_form(form))
        return "improvement item saved"

    def end(_role: str, form: dict[str, Any]) -> str:
        _known_fields(form, ())
        session.end()
        return "the exercise has ended; the log is complete"

    async def home(_request: Request) -> Response:
        return HTMLResponse(render("home.html.j2"))

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        async def ticking() -> None:
            while True:
                await asyncio.sleep(tick)
                if session.speed is not None:
                    await run_in_threadpool(session.tick, tick)

        task = asyncio.create_task(ticking())
        try:
            yield
        finally:
            session.closing = True
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    static = StaticFiles(packages=[("cmdsim.serve", "static")])
    routes = [
        Route("/", home),
        Route("/f/{token}", facilitator_page),
        Route("/p/{token}", player_page),
        Route("/api/{token}/state", state),
        Route("/api/{token}/parts", parts),
        Route("/api/{token}/stream", stream),
        Route("/api/{token}/decide", action(player, decide), methods=["POST"]),
        Route("/api/{token}/clock", action(facilitator, clock), methods=["POST"]),
        Route("/api/{token}/inject", action(facilitator, inject), methods=["POST"]),
        Route("/api/{token}/facts", action(facilitator, facts), methods=["POST"]),
        Route("/api/{token}/improvement", action(facilitator, improvement), methods=["POST"]),
        Route("/api/{token}/end", action(facilitator, end), methods=["POST"]),
        Mount("/static", static, name="static"),
    ]

    async def not_routed(request: Request, exc: Exception) -> Response:
        # a path or a method the interface has not: under /api/ a refusal
        # in its one shape, like every other; a page's stays plain text
        status = int(getattr(exc, "status_code", 404))
        detail = str(getattr(exc, "detail", "") or "not found")
        if request.url.path.startswith("/api/"):
            what = "no such request" if status == 404 else f"{request.method} is not taken here"
            return refused(status, f"{what}: {detail.lower()}")
        return PlainTextResponse(detail, status_code=status)

    handlers = {404: not_routed, 405: not_routed}
    return Starlette(routes=routes, lifespan=lifespan, exception_handlers=handlers)


INJECT_FIELDS = ("message", "to", "from", "minutes", "hazard", "town", "level", "figures")
"""What ``POST /api/TOKEN/inject`` takes for a new inject (``fire`` alone fires one)."""
CLOCK_FIELDS = {"next": (), "step": ("minutes",), "decision": (), "run": ("speed",), "pause": ()}
"""What ``POST /api/TOKEN/clock`` takes besides ``action``, by action."""
DECIDE_FIELDS = ("key", "level", "activate", "choice", "rationale", "player")
"""What ``POST /api/TOKEN/decide`` takes."""
FACTS_FIELDS = ("date", "place", "participants", "notes")
"""What ``POST /api/TOKEN/facts`` takes."""


def refused(status: int, error: str, *fields: str, **more: Any) -> JSONResponse:
    """A refusal of the JSON interface, in its one shape: ``error`` (the
    text), ``field`` (the first field of the request it is about, or
    ``null`` when it is about none: a bad token, a body that is no JSON
    object, an exercise that has ended) and ``fields`` (every one named)."""
    named = list(dict.fromkeys(fields))
    body = {"error": error, "field": named[0] if named else None, "fields": named}
    return JSONResponse({**body, **more}, status_code=status)


class FieldError(CmdsimError, ValueError):
    """A field of a request's JSON body that is not what it must be
    (answered 400 with ``{"error": text, "field": name}``)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


def _number(form: dict[str, Any], key: str, default: float) -> float:
    """A number field of a form; missing or empty is ``default`` (0 is 0)."""
    value = form.get(key)
    if value is None or value == "":
        return default
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise FieldError(key, f"expected a number, not {value!r}")
    try:
        return float(value)
    except ValueError:
        raise FieldError(key, f"expected a number, not {value!r}") from None


def _string(form: dict[str, Any], key: str) -> str:
    """A text field of a form; missing is empty, a list or a mapping an error."""
    value = form.get(key)
    if value is None:
        return ""
    if isinstance(value, dict | list | bool):
        raise FieldError(key, f"expected text, not {value!r}")
    return str(value)


def _known_fields(form: dict[str, Any], known: tuple[str, ...]) -> None:
    """A field nobody reads would be a setting without effect: an error."""
    for key in form:
        if key not in known:
            raise FieldError(key, f"unknown field (this request takes {', '.join(known)})")


def _player_parts(view: dict[str, Any]) -> dict[str, str]:
    return {
        "live": render("_player_live.html.j2", v=view),
        "decision": render("_player_decision.html.j2", v=view),
    }


def _facilitator_parts(view: dict[str, Any]) -> dict[str, str]:
    return {
        "live": render("_facilitator_live.html.j2", v=view, role_names=ROLE_NAMES),
        "improvements": render("_improvements.html.j2", v=view),
    }
