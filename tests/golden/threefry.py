"""An independent numpy model of MLX's random bits (Threefry-2x32, 20 rounds,
JAX's counter layout), the reference for random_bits, which Python MLX does
not expose. The generator checks it against mx.random.split, which is
bits(shape=[n, 2]) under the hood, before trusting it.
"""

import numpy as np

_ROT = ((13, 15, 26, 6), (17, 29, 16, 24))
_M = 0xFFFFFFFF


def threefry2x32(key, count):
    k0, k1 = int(key[0]), int(key[1])
    ks = (k0, k1, k0 ^ k1 ^ 0x1BD11BDA)
    x0 = (count[0] + ks[0]) & _M
    x1 = (count[1] + ks[1]) & _M
    for i in range(5):
        for r in _ROT[i % 2]:
            x0 = (x0 + x1) & _M
            x1 = ((x1 << r) | (x1 >> (32 - r))) & _M
            x1 ^= x0
        x0 = (x0 + ks[(i + 1) % 3]) & _M
        x1 = (x1 + ks[(i + 2) % 3] + i + 1) & _M
    return x0, x1


def random_bits_reference(key, shape, width):
    """The bytes MLX's bits(shape, width, key) produces, as a flat uint8 array.

    The output's 32-bit words are filled in two halves: word j of the first
    half and word j of the second half are the two outputs of hashing the
    counter (j, half + j); an odd word count takes its last word from
    hashing (half, 0).
    """
    nbytes = int(np.prod(shape, dtype=np.int64)) * width
    words = (nbytes + 3) // 4
    half = words // 2
    odd = words % 2
    out = np.zeros(words, dtype=np.uint32)
    for j in range(half):
        a, b = threefry2x32(key, (j, half + odd + j))
        out[j] = a
        out[half + odd + j] = b
    if odd:
        out[half] = threefry2x32(key, (half, 0))[0]
    return out.view(np.uint8)[:nbytes]
