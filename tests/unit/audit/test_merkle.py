from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from truceline.audit.hashing import leaf_hash, node_hash
from truceline.audit.merkle import (
    EMPTY_ROOT,
    Frontier,
    MemoryTree,
    consistency_proof,
    consistency_ranges,
    inclusion_proof,
    inclusion_ranges,
    perfect_subtrees,
    root_of_leaves,
    verify_consistency,
    verify_inclusion,
)

# Inputs and roots of the RFC 6962 reference test vectors (8 leaves, every prefix).
REFERENCE_INPUTS = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657"]
REFERENCE_INPUTS.append("606162636465666768696a6b6c6d6e6f")
REFERENCE_ROOTS = {
    1: "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    2: "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    3: "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    4: "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    5: "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    6: "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    7: "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    8: "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
}
REFERENCE_LEAVES = [leaf_hash(bytes.fromhex(data)) for data in REFERENCE_INPUTS]


def leaves(n: int) -> list[bytes]:
    return [leaf_hash(i.to_bytes(4, "big")) for i in range(n)]


def test_empty_tree_root_is_the_hash_of_nothing() -> None:
    assert EMPTY_ROOT.hex() == hashlib.sha256(b"").hexdigest()
    assert MemoryTree().root() == EMPTY_ROOT == Frontier().root()


@pytest.mark.parametrize("size", sorted(REFERENCE_ROOTS))
def test_roots_match_the_rfc6962_reference_vectors(size: int) -> None:
    tree = MemoryTree(REFERENCE_LEAVES[:size])
    assert tree.root().hex() == REFERENCE_ROOTS[size]
    assert tree.root(size).hex() == REFERENCE_ROOTS[size]
    assert root_of_leaves(REFERENCE_LEAVES[:size]).hex() == REFERENCE_ROOTS[size]


def test_three_leaf_root_and_proofs_derived_by_hand() -> None:
    a, b, c = leaves(3)
    root = node_hash(node_hash(a, b), c)
    tree = MemoryTree([a, b, c])
    assert tree.root() == root
    assert inclusion_proof(tree, 0, 3) == [b, c]
    assert inclusion_proof(tree, 2, 3) == [node_hash(a, b)]
    # From size 2 (a power of two) the old root is implied: only c is sent.
    assert consistency_proof(tree, 2, 3) == [c]
    # From size 1 to 3: b, then c.
    assert consistency_proof(tree, 1, 3) == [b, c]


def test_seven_leaf_proof_ranges_follow_rfc9162() -> None:
    assert inclusion_ranges(6, 7) == [(4, 6), (0, 4)]
    assert inclusion_ranges(3, 7) == [(2, 3), (0, 2), (4, 7)]
    assert consistency_ranges(3, 7) == [(2, 3), (3, 4), (0, 2), (4, 7)]
    assert consistency_ranges(4, 7) == [(4, 7)]
    assert consistency_ranges(6, 7) == [(4, 6), (6, 7), (0, 4)]


def test_perfect_subtrees_split_a_range_into_aligned_powers_of_two() -> None:
    assert perfect_subtrees(0, 7) == [(2, 0), (1, 2), (0, 6)]
    assert perfect_subtrees(4, 7) == [(1, 2), (0, 6)]
    assert perfect_subtrees(8, 16) == [(3, 1)]


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=300), st.data())
def test_every_inclusion_proof_verifies_and_is_logarithmic(size: int, data: st.DataObject) -> None:
    hashes = leaves(size)
    tree = MemoryTree(hashes)
    index = data.draw(st.integers(min_value=0, max_value=size - 1))
    proof = inclusion_proof(tree, index, size)
    assert verify_inclusion(hashes[index], index, size, proof, root_of_leaves(hashes))
    assert len(proof) <= (size - 1).bit_length()


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=2, max_value=200), st.data())
def test_a_tampered_inclusion_proof_fails(size: int, data: st.DataObject) -> None:
    hashes = leaves(size)
    tree = MemoryTree(hashes)
    index = data.draw(st.integers(min_value=0, max_value=size - 1))
    proof = inclusion_proof(tree, index, size)
    position = data.draw(st.integers(min_value=0, max_value=len(proof) - 1))
    forged = list(proof)
    forged[position] = hashlib.sha256(forged[position]).digest()
    root = tree.root()
    assert not verify_inclusion(hashes[index], index, size, forged, root)
    assert not verify_inclusion(hashes[index], (index + 1) % size, size, proof, root)
    assert not verify_inclusion(leaf_hash(b"other"), index, size, proof, root)
    assert not verify_inclusion(hashes[index], index, size, proof[:-1], root)


@settings(max_examples=80, deadline=None)
@given(st.integers(min_value=1, max_value=300), st.data())
def test_every_consistency_proof_verifies(new_size: int, data: st.DataObject) -> None:
    hashes = leaves(new_size)
    tree = MemoryTree(hashes)
    old_size = data.draw(st.integers(min_value=0, max_value=new_size))
    proof = consistency_proof(tree, old_size, new_size)
    old_root, new_root = root_of_leaves(hashes[:old_size]), tree.root()
    assert verify_consistency(old_size, new_size, old_root, new_root, proof)
    assert len(proof) <= 2 * new_size.bit_length()


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=2, max_value=200), st.data())
def test_consistency_fails_for_a_rewritten_history(new_size: int, data: st.DataObject) -> None:
    hashes = leaves(new_size)
    old_size = data.draw(st.integers(min_value=1, max_value=new_size - 1))
    changed = data.draw(st.integers(min_value=0, max_value=old_size - 1))
    rewritten = list(hashes)
    rewritten[changed] = leaf_hash(b"rewritten")
    honest_old_root = root_of_leaves(hashes[:old_size])
    forked = MemoryTree(rewritten)
    proof = consistency_proof(forked, old_size, new_size)
    assert not verify_consistency(old_size, new_size, honest_old_root, forked.root(), proof)


def test_frontier_grows_one_leaf_at_a_time_and_reports_completed_subtrees() -> None:
    frontier = Frontier()
    completed = [frontier.append(leaf) for leaf in leaves(4)]
    assert [[(lvl, idx) for lvl, idx, _ in step] for step in completed] == [
        [],
        [(1, 0)],
        [],
        [(1, 1), (2, 0)],
    ]
    assert frontier.root() == root_of_leaves(leaves(4))


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=150), st.integers(min_value=0, max_value=150))
def test_frontier_rebuilt_from_stored_nodes_continues_the_same_tree(old: int, extra: int) -> None:
    hashes = leaves(old + extra)
    resumed = Frontier.from_source(MemoryTree(hashes[:old]), old)
    for leaf in hashes[old:]:
        resumed.append(leaf)
    assert resumed.root() == root_of_leaves(hashes)


def test_out_of_range_requests_are_refused() -> None:
    with pytest.raises(ValueError, match="not in a tree of size 3"):
        inclusion_ranges(3, 3)
    with pytest.raises(ValueError, match="from size 4 to size 3"):
        consistency_ranges(4, 3)
    with pytest.raises(KeyError, match="level 2"):
        MemoryTree(leaves(3)).node(2, 0)
    assert not verify_inclusion(leaves(1)[0], 1, 1, [], leaves(1)[0])
    assert not verify_consistency(3, 2, EMPTY_ROOT, EMPTY_ROOT, [])
