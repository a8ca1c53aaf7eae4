"""``cmdsim run``'s words in a reader's language: the timeline's and the summary's.

The engine's log keeps its own words (``level_decided``, ``stage=initial``);
a person reading a run in Chinese gets the report's words for the event kinds
(``ek.*`` of :mod:`cmdsim.report.labels_zh`), the detail keys (``key.*``) and
the detail values that are words rather than ids (``value.*``: a signal's
colour, a report's stage, what a deadline counts from).  Ids stay as the files
write them, as in ``cmdsim show --lang zh``; actors and incidents are shown by
their names, as in every language.
"""

from __future__ import annotations

from cmdsim.report.labels import labels
from cmdsim.sim.timeline import LOG_WORDS, TimelineWords


def timeline_words(lang: str) -> TimelineWords:
    """The words of a run's timeline in ``lang``: the log's own for ``en``.

    >>> words = timeline_words("zh")
    >>> words.kinds["level_decided"], words.keys["level"], words.values[("stage", "initial")]
    ('确定响应级别', '级别', '初报')
    >>> words.reasons["hqs_active"].format(n=3)
    '3个专项指挥部已启动'
    >>> timeline_words("en") is LOG_WORDS
    True
    """
    if lang == "en":
        return LOG_WORDS
    table = labels(lang)
    kinds = {key[3:]: word for key, word in table.items() if key.startswith("ek.")}
    keys = {key[4:]: word for key, word in table.items() if key.startswith("key.")}
    values: dict[tuple[str, str], str] = {}
    for key, word in table.items():
        if key.startswith("value."):
            field, _, value = key[6:].partition(".")
            values[field, value] = word
    # why a rule held (``reason.*``): the log's kind and facts, phrased
    reasons = {key[7:]: word for key, word in table.items() if key.startswith("reason.")}
    return TimelineWords(
        kinds=kinds, keys=keys, values=values, colon="：", lang=lang, reasons=reasons
    )


def stage_word(stage: str, lang: str) -> str:
    """A report stage's name in ``lang`` (``initial`` → ``初报``; itself in English)."""
    return labels(lang).get(f"value.stage.{stage}", stage) if lang != "en" else stage
