"""RFC 6962 / RFC 9162 Merkle tree: roots, inclusion and consistency proofs (pure).

The tree is over *leaf hashes* (``hashing.leaf_hash`` of each entry's canonical
JSON). Large trees are never rehashed: every function here reads the hashes of
perfect, aligned subtrees through a ``NodeSource`` (``node(level, index)`` is the
root of leaves ``[index * 2**level, (index + 1) * 2**level)``). A source may keep
every level in memory (``MemoryTree``) or read a sparse table from the database
(``truceline.audit.tree``). ``Frontier`` is the compact right edge of a tree
(one hash per set bit of its size) that grows one leaf at a time in amortised
O(1) and yields the root in O(log n).

Proof algorithms follow RFC 9162 sections 2.1.3 and 2.1.4 (PATH and SUBPROOF for
generation, the iterative procedures for verification). To extend: add another
``NodeSource``; the proof code does not change.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Protocol

from truceline.audit.hashing import node_hash

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

Range = tuple[int, int]


class NodeSource(Protocol):
    """Gives the root hash of the perfect subtree at ``level`` and ``index``."""

    def node(self, level: int, index: int) -> bytes: ...


def largest_power_of_two_below(n: int) -> int:
    """The k of RFC 9162: the largest power of two strictly smaller than ``n`` (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def root_of_leaves(leaf_hashes: Sequence[bytes]) -> bytes:
    """MTH computed directly by the recursive definition (reference; O(n))."""
    n = len(leaf_hashes)
    if n == 0:
        return EMPTY_ROOT
    if n == 1:
        return leaf_hashes[0]
    k = largest_power_of_two_below(n)
    return node_hash(root_of_leaves(leaf_hashes[:k]), root_of_leaves(leaf_hashes[k:]))


def perfect_subtrees(start: int, end: int) -> list[tuple[int, int]]:
    """Split leaves ``[start, end)`` into aligned perfect subtrees, left to right, as (level, index)."""
    pieces: list[tuple[int, int]] = []
    while start < end:
        level = (start & -start).bit_length() - 1 if start else (end - start).bit_length() - 1
        while start + (1 << level) > end:
            level -= 1
        pieces.append((level, start >> level))
        start += 1 << level
    return pieces


def range_hash(source: NodeSource, start: int, end: int) -> bytes:
    """MTH of leaves ``[start, end)`` for the ranges RFC 9162 proofs use.

    Those ranges start at a multiple of a power of two at least as large as the
    range, so their perfect subtrees shrink left to right and the MTH is the
    right fold of those subtree roots: O(log n) node reads.
    """
    if end <= start:
        raise ValueError(f"empty leaf range [{start}, {end})")
    hashes = [source.node(level, index) for level, index in perfect_subtrees(start, end)]
    result = hashes[-1]
    for left in reversed(hashes[:-1]):
        result = node_hash(left, result)
    return result


def tree_root(source: NodeSource, size: int) -> bytes:
    """Root hash of the first ``size`` leaves."""
    return EMPTY_ROOT if size == 0 else range_hash(source, 0, size)


def inclusion_ranges(index: int, size: int) -> list[Range]:
    """The leaf ranges whose hashes form PATH(index, D[size]), nearest the leaf first."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of size {size}")
    ranges: list[Range] = []
    start, end = 0, size
    while end - start > 1:
        k = largest_power_of_two_below(end - start)
        if index < start + k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start += k
    return list(reversed(ranges))


def consistency_ranges(old_size: int, new_size: int) -> list[Range]:
    """The leaf ranges whose hashes form PROOF(old_size, D[new_size]), in RFC order."""
    if not 0 <= old_size <= new_size:
        raise ValueError(f"no consistency proof from size {old_size} to size {new_size}")
    if old_size in (0, new_size):
        return []
    ranges: list[Range] = []
    start, end, m, complete = 0, new_size, old_size, True
    while m != end - start:
        k = largest_power_of_two_below(end - start)
        if m <= k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start, m, complete = start + k, m - k, False
    if not complete:
        ranges.append((start, end))
    return list(reversed(ranges))


def inclusion_proof(source: NodeSource, index: int, size: int) -> list[bytes]:
    return [range_hash(source, a, b) for a, b in inclusion_ranges(index, size)]


def consistency_proof(source: NodeSource, old_size: int, new_size: int) -> list[bytes]:
    return [range_hash(source, a, b) for a, b in consistency_ranges(old_size, new_size)]


def _shift_until_odd_or_zero(fn: int, sn: int) -> tuple[int, int]:
    while fn & 1 == 0 and fn != 0:
        fn, sn = fn >> 1, sn >> 1
    return fn, sn


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 section 2.1.3.2: is ``leaf`` at ``index`` in the tree of ``size`` with ``root``?"""
    if not 0 <= index < size:
        return False
    fn, sn, result = index, size - 1, leaf
    for sibling in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            result = node_hash(sibling, result)
            fn, sn = _shift_until_odd_or_zero(fn, sn)
        else:
            result = node_hash(result, sibling)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and result == root


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 section 2.1.4.2: does the tree (new_size, new_root) extend (old_size, old_root)?"""
    if not 0 <= old_size <= new_size:
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if old_size == 0:
        return not proof and old_root == EMPTY_ROOT
    if not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    first = second = path[0]
    for sibling in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            first, second = node_hash(sibling, first), node_hash(sibling, second)
            fn, sn = _shift_until_odd_or_zero(fn, sn)
        else:
            second = node_hash(second, sibling)
        fn, sn = fn >> 1, sn >> 1
    return first == old_root and second == new_root and sn == 0


class Frontier:
    """The right edge of a tree: roots of its perfect subtrees, largest first.

    ``append`` returns the perfect subtrees it completes as (level, index, hash),
    so a store can keep the levels it wants without ever rehashing old leaves.
    """

    def __init__(self, size: int = 0, edge: Iterable[bytes] = ()) -> None:
        self.size = size
        self._edge = list(edge)
        if len(self._edge) != size.bit_count():
            raise ValueError(f"a tree of size {size} has {size.bit_count()} edge subtrees")

    @classmethod
    def from_source(cls, source: NodeSource, size: int) -> Frontier:
        levels = [level for level in reversed(range(size.bit_length())) if size >> level & 1]
        return cls(size, [source.node(level, (size >> level) - 1) for level in levels])

    def append(self, leaf: bytes) -> list[tuple[int, int, bytes]]:
        completed: list[tuple[int, int, bytes]] = []
        current, level, index = leaf, 0, self.size
        while self.size >> level & 1:
            current = node_hash(self._edge.pop(), current)
            level, index = level + 1, index >> 1
            completed.append((level, index, current))
        self._edge.append(current)
        self.size += 1
        return completed

    def root(self) -> bytes:
        if not self._edge:
            return EMPTY_ROOT
        result = self._edge[-1]
        for left in reversed(self._edge[:-1]):
            result = node_hash(left, result)
        return result


class MemoryTree:
    """Every level of a tree in flat byte arrays (32 bytes a node): tests, verifier, benchmarks."""

    def __init__(self, leaf_hashes: Iterable[bytes] = ()) -> None:
        self.size = 0
        self._levels: list[bytearray] = [bytearray()]
        self._frontier = Frontier()
        for leaf in leaf_hashes:
            self.append(leaf)

    def append(self, leaf: bytes) -> None:
        self._levels[0] += leaf
        for level, _index, digest in self._frontier.append(leaf):
            if level == len(self._levels):
                self._levels.append(bytearray())
            self._levels[level] += digest
        self.size += 1

    def node(self, level: int, index: int) -> bytes:
        offset = index * HASH_SIZE
        if level >= len(self._levels) or offset + HASH_SIZE > len(self._levels[level]):
            raise KeyError(f"no complete subtree at level {level}, index {index}")
        return bytes(self._levels[level][offset : offset + HASH_SIZE])

    def root(self, size: int | None = None) -> bytes:
        return self._frontier.root() if size is None else tree_root(self, size)
