"""``cmdsim serve``: a browser console for a tabletop exercise.

A local web server (Starlette on uvicorn) in front of the drill driver of
:mod:`cmdsim.exercise`: the facilitator's page moves the clock, fires and
adds injects and sees everything; each played role has its own page, joined
by a link with a per-role token, showing only what that role would know.
Every action is appended to the exercise log as it happens.

Needs the ``serve`` extra (``pip install 'cmdsim[serve]'``).
"""

from __future__ import annotations

from cmdsim.serve.journal import Journal
from cmdsim.serve.session import Session
from cmdsim.serve.visibility import FACILITATOR, visible

__all__ = ["FACILITATOR", "Journal", "Session", "visible"]
