"""Bilingual names as the district files write them (``防汛防台 flood and
typhoon``, ``区燃气事故应急处置指挥部``): the Chinese head a Chinese reader,
report or MSEL cell goes by."""

from __future__ import annotations


def chinese_part(name: str) -> str:
    """The Chinese head of a bilingual name, ``""`` for a name without one.

    >>> chinese_part("防汛防台 flood and typhoon")
    '防汛防台'
    >>> chinese_part("Chuansha town")
    ''
    """
    head = []
    for char in name:
        if char.isascii() and char.isalpha():
            break
        head.append(char)
    text = "".join(head).strip(" ·:-—(（")
    return text if not text.isascii() else ""
