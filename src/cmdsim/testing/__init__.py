"""Building blocks for testing plans in a planning office's CI.

Import :mod:`cmdsim.testing.incidents` for hypothesis strategies and
:mod:`cmdsim.testing.invariants` for ready-made assertions;
:mod:`cmdsim.testing.strategies` draws whole valid districts and scenarios
(those modules need ``hypothesis``, in the ``test`` extra).  This package
module itself imports nothing heavy: the pytest plugin
(:mod:`cmdsim.testing.plugin`) is loaded by every pytest run.
"""

from __future__ import annotations
