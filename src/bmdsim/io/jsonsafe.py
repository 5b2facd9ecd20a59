"""Values made fit for strict JSON: numpy scalars and arrays as plain Python values, every
non-finite float as None (JSON null). Every JSON document bmdsim writes passes through
:func:`json_safe` (``allow_nan=False`` then holds)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

__all__ = ["json_safe"]


def json_safe(obj: Any) -> Any:
    """``obj`` with numpy scalars and arrays as plain Python values and every non-finite
    float as None (JSON null)."""
    if isinstance(obj, Mapping):
        return {str(k): json_safe(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [json_safe(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return json_safe(obj.tolist())
    if isinstance(obj, np.generic):
        return json_safe(obj.item())
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj
