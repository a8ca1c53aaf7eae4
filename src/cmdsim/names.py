"""Bilingual names as the district files write them (``防汛防台 flood and
typhoon``, ``区燃气事故应急处置指挥部``): the Chinese head a Chinese reader,
report or MSEL cell goes by."""

from __future__ import annotations

import re


def chinese_part(name: str) -> str:
    """The Chinese head of a bilingual name, ``""`` for a name without one.

    >>> chinese_part("防汛防台 flood and typhoon")
    '防汛防台'
    >>> chinese_part("Chuansha town")
    ''
    >>> chinese_part("S20外环高速多车相撞 pile-up on the S20 outer ring")
    'S20外环高速多车相撞'
    >>> chinese_part("Follow-up report (续报) within 4 hours")
    ''
    """
    # A road or unit code written onto the Chinese (S20外环) is part of it.
    code = re.match(r"[A-Za-z][A-Za-z0-9]*(?=[^\x00-\x7f])", name)
    prefix = code.group() if code else ""
    head = [prefix]
    for char in name[len(prefix) :]:
        if char.isascii() and char.isalpha():
            break
        head.append(char)
    text = "".join(head).strip(" ·:-—(（")
    return text if not text.isascii() else ""
