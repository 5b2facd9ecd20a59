"""Per-process caches that keep the entries used last (any layer may use them, like
:mod:`bmdsim.errors`)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["remember"]

_T = TypeVar("_T")


def remember(cache: OrderedDict[Any, _T], key: Any, keep: int, make: Callable[[], _T]) -> _T:
    """The cached value of ``key``, made on a miss; the ``keep`` last used are kept."""
    value = cache.get(key)
    if value is None:
        value = make()
        cache[key] = value
        while len(cache) > keep:
            cache.popitem(last=False)
    else:
        cache.move_to_end(key)
    return value
