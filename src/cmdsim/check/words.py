"""A finding's message as words in a language: a template per message and
its parameters, rendered in English (the sentence ``cmdsim check`` has
always printed) or Chinese (``--lang zh``).

A :class:`Phrase` names a template (``CMD001.no_lead``) and holds its
parameters: plain values (ids, counts, minutes), other phrases (a clause a
helper builds) or a :class:`Join` of them.  The templates are
``str.format`` strings in :mod:`cmdsim.check.words_en` and
:mod:`cmdsim.check.words_zh`; ids keep their quotes (``'flood'``) in every
language, so a reader can search the plans for them.

The words sit here, in the check package, and not beside the report's
labels: the check layer must not import the report layer, and the CLI,
the JSON and the SARIF output all render a finding from here.  A call site
whose parameters do not match its English template fails at once, when the
finding is made (:func:`say`), so a test making the finding catches it.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs

from cmdsim.check import kinds_zh, words_en, words_zh
from cmdsim.check.kind import Kind

LANGS = ("en", "zh")
"""The languages a finding can be rendered in."""

TEMPLATES: dict[str, Mapping[str, str]] = {"en": words_en.TEMPLATES, "zh": words_zh.TEMPLATES}

_SEPARATORS = {"zh": {", ": "、", "; ": "；", " and ": "和", " / ": " / ", ": ": "："}}
"""How a list is joined in each language, by its English separator."""


class Params(Mapping[str, Any]):
    """A phrase's parameters: a read-only, hashable mapping (a finding is a
    frozen, hashable value)."""

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[str, Any] | None = None) -> None:
        self._items = {k: _frozen(v) for k, v in (items or {}).items()}

    def __getitem__(self, key: str) -> Any:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._items.items(), key=lambda kv: kv[0])))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mapping) and self._items == dict(other)

    def __repr__(self) -> str:
        return f"Params({self._items!r})"


def _frozen(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(value)
    return value


def _tupled(values: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(values)


@attrs.frozen
class Phrase:
    """A template's key and the parameters it is rendered with."""

    key: str
    params: Params = attrs.field(factory=Params)


@attrs.frozen
class Join:
    """Phrases or values joined by ``sep`` (the English separator; each
    language has its own, :data:`_SEPARATORS`)."""

    items: tuple[Any, ...] = attrs.field(converter=_tupled)
    sep: str = ", "


def fields(template: str) -> set[str]:
    """The parameter names a template uses."""
    return {
        name.split(".")[0].split("[")[0]
        for _, name, _, _ in string.Formatter().parse(template)
        if name is not None and name != ""
    }


def say(key: str, **params: Any) -> Phrase:
    """The phrase of template ``key``: its parameters must be exactly those
    the English template uses (a mismatch is a bug, raised here)."""
    template = words_en.TEMPLATES.get(key)
    if template is None:
        raise KeyError(f"no English template {key!r}")
    wanted = fields(template)
    if set(params) != wanted:
        raise TypeError(
            f"template {key!r} takes {sorted(wanted)}, the call site gives {sorted(params)}"
        )
    return Phrase(key, Params(params))


def render(value: Any, lang: str = "en") -> str:
    """``value`` in ``lang``: a phrase by its template there (English where
    the language has none), a join item by item, anything else as ``str``."""
    if isinstance(value, Phrase):
        template = TEMPLATES.get(lang, words_en.TEMPLATES).get(value.key)
        if template is None:
            template = words_en.TEMPLATES[value.key]
        shown = {k: _part(v, lang) for k, v in value.params.items()}
        return template.format(**shown)
    if isinstance(value, Join):
        sep = _SEPARATORS.get(lang, {}).get(value.sep, value.sep)
        return sep.join(render(item, lang) for item in value.items)
    return str(value)


def _part(value: Any, lang: str) -> Any:
    # Numbers and ids stay themselves, so a template's ``:g`` or ``!r`` applies.
    return render(value, lang) if isinstance(value, (Phrase, Join)) else value


def keys_in(value: Any) -> Iterable[str]:
    """Every template key a phrase renders with, its own and its parts'."""
    if isinstance(value, Phrase):
        yield value.key
        for part in value.params.values():
            yield from keys_in(part)
    elif isinstance(value, Join):
        for item in value.items:
            yield from keys_in(item)


def kind_words(kind: Kind, lang: str = "en") -> Kind:
    """``kind`` with its title, why and fix in ``lang`` (English where the
    language has none for it)."""
    if lang == "zh" and kind.code in kinds_zh.KINDS:
        title, why, fix = kinds_zh.KINDS[kind.code]
        return attrs.evolve(kind, title=title, why=why, fix=fix)
    return kind


def fallback(lang: str) -> set[str]:
    """The English templates ``lang`` has no template for (rendered in English)."""
    return set(words_en.TEMPLATES) - set(TEMPLATES.get(lang, words_en.TEMPLATES))


__all__ = [
    "LANGS",
    "Join",
    "Params",
    "Phrase",
    "fallback",
    "fields",
    "keys_in",
    "kind_words",
    "render",
    "say",
]
