"""cmdsim: simulate a district's "1+N" emergency command system.

How fast is the right HQ activated at the right level, and do the plans
cover every incident they will meet?
"""

from __future__ import annotations

from cmdsim.version import cmdsim_version

__version__ = cmdsim_version()

__all__ = ["__version__"]


_LAZY: dict[str, str] = {
    # name: "module:attribute", imported on first use so `import cmdsim` stays light.
    "replicate": "cmdsim.analysis:replicate",
    # The engine behind a check that the scenario is one a file could give
    # (a notebook's attrs.evolve skips the loader): cmdsim.analysis.built.
    "simulate": "cmdsim.analysis.built:simulate",
}


def __dir__() -> list[str]:
    """The lazy names too, so a notebook's completion offers ``cmdsim.simulate``."""
    return sorted({*globals(), *_LAZY})


def __getattr__(name: str) -> object:
    target = _LAZY.get(name)
    if target is None:
        raise AttributeError(f"module 'cmdsim' has no attribute {name!r}")
    import importlib

    module_name, attribute = target.split(":")
    return getattr(importlib.import_module(module_name), attribute)
