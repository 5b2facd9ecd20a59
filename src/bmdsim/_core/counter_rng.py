"""Counter-based random numbers: Philox4x32-10 (Salmon, Moraes, Dror & Shaw, "Parallel
random numbers: as easy as 1, 2, 3", SC 2011; the generator of Random123, cuRAND and JAX).

A draw is a pure function of a key and a counter, so a draw needs no state and no order:
the detection draw of radar ``j`` at sample ``k`` of threat ``i`` is the same number
whichever other threats, samples or radars are drawn, in whatever order and however far.
A simulation can then stop observing a threat early, or observe it with other threats,
and every draw it does make is the one a full run makes.

The layout used by the sensors (:mod:`bmdsim.sensors.c2`): key = the 64-bit stream seed
(two 32-bit words); counter = (sample ordinal of the threat, purpose, threat key, radar
word), the threat key's bits above 32 going into the purpose word. ``purpose`` 0 is a
look's detection uniform; 1 and 2 give the four normals of a measurement's noise
(Box-Muller), of which three are used.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from bmdsim._core.jit import jit

__all__ = [
    "PURPOSE_DETECTION",
    "PURPOSE_NOISE",
    "counter_normals3",
    "counter_uniform",
    "detection_uniforms",
    "noise_normals",
    "philox4x32",
    "split_key",
]

PURPOSE_DETECTION = 0
PURPOSE_NOISE = 1  # and PURPOSE_NOISE + 1

_M0 = np.uint64(0xD2511F53)
_M1 = np.uint64(0xCD9E8D57)
_W0 = np.uint64(0x9E3779B9)
_W1 = np.uint64(0xBB67AE85)
_MASK = np.uint64(0xFFFFFFFF)
_S32 = np.uint64(32)
_S11 = np.uint64(11)
_TWO_53 = 1.0 / 9007199254740992.0


@jit()
def philox4x32(
    c0: np.uint64, c1: np.uint64, c2: np.uint64, c3: np.uint64, k0: np.uint64, k1: np.uint64
) -> tuple[np.uint64, np.uint64, np.uint64, np.uint64]:
    """Philox4x32-10 of a counter (four 32-bit words, held in uint64) and a key (two):
    four 32-bit words."""
    c0 = np.uint64(c0) & _MASK
    c1 = np.uint64(c1) & _MASK
    c2 = np.uint64(c2) & _MASK
    c3 = np.uint64(c3) & _MASK
    k0 = np.uint64(k0) & _MASK
    k1 = np.uint64(k1) & _MASK
    for r in range(10):
        if r > 0:
            k0 = (k0 + _W0) & _MASK
            k1 = (k1 + _W1) & _MASK
        p0 = _M0 * c0
        p1 = _M1 * c2
        n0 = (p1 >> _S32) ^ c1 ^ k0
        n2 = (p0 >> _S32) ^ c3 ^ k1
        c1 = p1 & _MASK
        c3 = p0 & _MASK
        c0 = n0
        c2 = n2
    return c0, c1, c2, c3


@jit()
def _unit(lo: np.uint64, hi: np.uint64) -> float:
    """A double in [0, 1) from two 32-bit words (53 bits)."""
    return float(((hi << _S32) | lo) >> _S11) * _TWO_53


@jit()
def _high(purpose: int, who: int) -> np.uint64:
    """The counter's second word: the purpose (two bits) and the threat key's high bits."""
    return np.uint64(purpose) + ((np.uint64(who) >> _S32) << np.uint64(2))


@jit()
def counter_uniform(
    key0: np.uint64, key1: np.uint64, ordinal: int, purpose: int, who: int, word: int
) -> float:
    """One uniform in [0, 1) of the counter (ordinal, purpose, who, word)."""
    a, b, _, _ = philox4x32(
        np.uint64(ordinal), _high(purpose, who), np.uint64(who), np.uint64(word), key0, key1
    )
    return _unit(a, b)


@jit()
def _normal_pair(
    key0: np.uint64, key1: np.uint64, ordinal: int, purpose: int, who: int, word: int
) -> tuple[float, float]:
    a, b, c, d = philox4x32(
        np.uint64(ordinal), _high(purpose, who), np.uint64(who), np.uint64(word), key0, key1
    )
    u1 = 1.0 - _unit(a, b)  # (0, 1]
    u2 = _unit(c, d)
    rad = math.sqrt(-2.0 * math.log(u1))
    return rad * math.cos(2.0 * math.pi * u2), rad * math.sin(2.0 * math.pi * u2)


@jit()
def counter_normals3(
    key0: np.uint64, key1: np.uint64, ordinal: int, who: int, word: int
) -> tuple[float, float, float]:
    """Three standard normals of the counters (ordinal, PURPOSE_NOISE(+1), who, word)."""
    n0, n1 = _normal_pair(key0, key1, ordinal, PURPOSE_NOISE, who, word)
    n2, _ = _normal_pair(key0, key1, ordinal, PURPOSE_NOISE + 1, who, word)
    return n0, n1, n2


def split_key(seed: int) -> tuple[np.uint64, np.uint64]:
    """The two 32-bit key words of a 64-bit seed."""
    s = int(seed) & 0xFFFFFFFFFFFFFFFF
    return np.uint64(s & 0xFFFFFFFF), np.uint64(s >> 32)


@jit()
def detection_uniforms(
    key0: np.uint64, key1: np.uint64, ordinal: NDArray, who: NDArray, word: int, out: NDArray
) -> None:
    """``out[s]``: the detection uniform of sample ``ordinal[s]`` of threat ``who[s]``."""
    for s in range(out.shape[0]):
        out[s] = counter_uniform(key0, key1, ordinal[s], PURPOSE_DETECTION, who[s], word)


@jit()
def noise_normals(
    key0: np.uint64, key1: np.uint64, ordinal: NDArray, who: NDArray, word: int, out: NDArray
) -> None:
    """``out[s, :]``: the three noise normals of sample ``ordinal[s]`` of threat ``who[s]``."""
    for s in range(out.shape[0]):
        a, b, c = counter_normals3(key0, key1, ordinal[s], who[s], word)
        out[s, 0] = a
        out[s, 1] = b
        out[s, 2] = c
