from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from truceline.incidents.blocking import StreamingLinker
from truceline.incidents.matching import MatchFeatures, score_match
from truceline.incidents.synthetic import generate_reports


def pairwise(predicted: list[int], truth: list[int]) -> tuple[float, float]:
    n = len(predicted)
    same_pred = {(i, j) for i in range(n) for j in range(i + 1, n) if predicted[i] == predicted[j]}
    same_true = {(i, j) for i in range(n) for j in range(i + 1, n) if truth[i] == truth[j]}
    both = len(same_pred & same_true)
    return both / max(len(same_pred), 1), both / max(len(same_true), 1)


features = st.builds(
    MatchFeatures,
    hours=st.floats(0, 24 * 30),
    time_precision=st.sampled_from([0, 1, 2, 3]),
    lat=st.floats(29, 37),
    lon=st.floats(60, 75),
    geo_precision=st.sampled_from([1, 2, 3, 4, 5]),
    event_type=st.sampled_from(["armed_clash", "air_drone_strike", None]),
    actor=st.sampled_from(["PK", "AF", "unknown"]),
    texts=st.just(()),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(features, min_size=2, max_size=60))
def test_blocking_never_misses_an_incident_within_tolerance(reports: list[MatchFeatures]) -> None:
    linker = StreamingLinker(auto_link_threshold=1.1)  # never link: every report is an incident
    for index, report in enumerate(reports):
        reachable = {c.id for c in linker.clusters if score_match(report, c.features) is not None}
        assert reachable <= {c.id for c in linker.candidates(report)}
        linker.link(index, report)


def test_blocked_linking_equals_all_pairs_linking_and_compares_far_fewer() -> None:
    reports = generate_reports(2000, seed=7)
    blocked, naive = StreamingLinker(), StreamingLinker(use_blocking=False)
    stream = [(r.report_id, r.features) for r in reports]
    assert blocked.link_all(stream) == naive.link_all(stream)
    assert blocked.comparisons * 20 < naive.comparisons


def test_linker_recovers_the_true_incidents_of_a_synthetic_stream() -> None:
    reports = generate_reports(3000, seed=11)
    assigned = StreamingLinker().link_all((r.report_id, r.features) for r in reports)
    precision, recall = pairwise(assigned, [r.true_event for r in reports])
    assert precision >= 0.93 and recall >= 0.93


def test_synthetic_stream_is_reproducible_from_its_seed() -> None:
    assert generate_reports(50, seed=3) == generate_reports(50, seed=3)
    assert generate_reports(50, seed=3) != generate_reports(50, seed=4)
    assert (
        len({r.true_event for r in generate_reports(300, seed=random.Random(1).randint(0, 9))})
        < 300
    )
