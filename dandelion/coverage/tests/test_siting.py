"""The siting solver against brute force over every k-subset, and the bounds it reports."""

import itertools
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import sparse

from dandelion.core.geo import haversine_m
from dandelion.coverage import siting


def brute_force(weights, cover, k):
    dense = np.asarray(cover.todense(), dtype=bool)
    m = dense.shape[1]
    best = 0.0
    for size in range(0, min(k, m) + 1):
        for subset in itertools.combinations(range(m), size):
            covered = dense[:, list(subset)].any(axis=1) if subset else np.zeros(len(weights), bool)
            best = max(best, float(np.asarray(weights)[covered].sum()))
    return best


def covered_by(weights, cover, chosen):
    dense = np.asarray(cover.todense(), dtype=bool)
    if not chosen:
        return 0.0
    return float(np.asarray(weights)[dense[:, chosen].any(axis=1)].sum())


@st.composite
def instances(draw):
    n = draw(st.integers(1, 12))
    m = draw(st.integers(1, 7))
    weights = draw(st.lists(st.integers(0, 20), min_size=n, max_size=n))
    bits = draw(st.lists(st.booleans(), min_size=n * m, max_size=n * m))
    cover = sparse.csc_matrix(np.array(bits, dtype=bool).reshape(n, m))
    k = draw(st.integers(0, m + 1))
    return np.array(weights, dtype=float), cover, k


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_milp_equals_brute_force(instance):
    weights, cover, k = instance
    result = siting.solve(weights, cover, k, method="milp")
    best = brute_force(weights, cover, k)
    assert result.optimal
    assert result.value == pytest.approx(best)
    assert covered_by(weights, cover, result.chosen) == pytest.approx(best)
    assert len(result.chosen) <= k
    assert len(set(result.chosen)) == len(result.chosen)
    assert sum(result.gains) == pytest.approx(result.value)
    assert all(g > 0 for g in result.gains)
    # in the order chosen, each gain is no larger than the one before
    assert all(a >= b - 1e-9 for a, b in itertools.pairwise(result.gains))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_greedy_guarantee_and_bound_hold(instance):
    weights, cover, k = instance
    result = siting.solve(weights, cover, k, method="greedy")
    best = brute_force(weights, cover, k)
    assert result.value >= (1 - 1 / math.e) * best - 1e-9
    assert result.bound >= best - 1e-9
    assert result.value <= best + 1e-9
    assert covered_by(weights, cover, result.chosen) == pytest.approx(result.value)
    if result.optimal:
        assert result.value == pytest.approx(best)


def test_greedy_can_be_beaten_and_says_so():
    """The classic instance where greedy takes the big middle set and the MILP the two halves."""
    #            a  b  c
    cover = sparse.csc_matrix(
        np.array(
            [
                [1, 1, 0],
                [1, 1, 0],
                [1, 0, 1],
                [1, 0, 1],
                [0, 1, 0],
                [0, 0, 1],
            ],
            dtype=bool,
        )
    )
    weights = np.array([1, 1, 1, 1, 1, 1], dtype=float)
    greedy = siting.solve(weights, cover, 2, method="greedy")
    exact = siting.solve(weights, cover, 2, method="milp")
    assert greedy.chosen == [0, 1] and greedy.value == 5
    assert not greedy.optimal and greedy.bound >= 6
    assert sorted(exact.chosen) == [1, 2] and exact.value == 6
    assert exact.optimal and exact.solver == "milp" and exact.bound_kind == "optimal"


def test_auto_falls_back_to_greedy_beyond_the_size_limit():
    rng = np.random.default_rng(3)
    cover = sparse.csc_matrix(rng.random((40, 30)) < 0.2)
    weights = rng.integers(1, 10, size=40).astype(float)
    result = siting.solve(weights, cover, 3, max_nonzeros=1)
    assert result.solver == "greedy"
    assert result.bound >= brute_force(weights, cover, 3) - 1e-9


def test_no_useful_site_gives_no_site():
    cover = sparse.csc_matrix(np.zeros((3, 2), dtype=bool))
    result = siting.solve(np.ones(3), cover, 2)
    assert result.chosen == [] and result.value == 0 and result.optimal


def test_points_reached_by_the_same_sites_are_merged():
    cover = sparse.csc_matrix(np.array([[1, 0], [1, 0], [0, 1], [0, 0]], dtype=bool))
    w, csr = siting.reduce_instance(np.array([2.0, 3.0, 1.0, 9.0]), cover)
    assert sorted(w.tolist()) == [1.0, 5.0] and csr.shape == (2, 2)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(29.6, 29.8), st.floats(115.9, 116.1)),
        min_size=1,
        max_size=30,
    ),
    st.lists(
        st.tuples(st.floats(29.6, 29.8), st.floats(115.9, 116.1)),
        min_size=1,
        max_size=10,
    ),
    st.floats(100, 5000),
)
def test_coverage_matrix_equals_every_pair_measured(points, sites, reach):
    cover = siting.coverage_matrix(
        point_lat=[p[0] for p in points],
        point_lng=[p[1] for p in points],
        site_lat=[s[0] for s in sites],
        site_lng=[s[1] for s in sites],
        reach_m=reach,
    ).todense()
    for i, p in enumerate(points):
        for j, s in enumerate(sites):
            assert bool(cover[i, j]) == (haversine_m(p[0], p[1], s[0], s[1]) <= reach)


def test_a_point_exactly_at_the_reach_is_covered():
    reach = haversine_m(29.70, 116.00, 29.71, 116.00)
    cover = siting.coverage_matrix(
        point_lat=[29.71], point_lng=[116.00], site_lat=[29.70], site_lng=[116.00], reach_m=reach
    )
    assert cover[0, 0]


def test_dominated_and_useless_sites_are_dropped_without_changing_the_optimum():
    #                 0  1  2  3  4
    dense = np.array(
        [
            [1, 1, 0, 0, 1],
            [1, 1, 0, 0, 0],
            [0, 1, 1, 0, 0],
            [0, 0, 1, 0, 0],
        ],
        dtype=bool,
    )
    kept, columns = siting.reduce_sites(sparse.csr_matrix(dense))
    # 0 ⊂ 1, 4 ⊂ 1, 3 reaches nothing; 1 and 2 stay
    assert columns.tolist() == [1, 2] and kept.shape == (4, 2)
    weights = np.array([1.0, 2.0, 3.0, 4.0])
    result = siting.solve(weights, sparse.csc_matrix(dense), 1)
    assert (
        result.chosen == [2] and result.optimal and result.bound_kind in ("exhaustive", "optimal")
    )


def test_one_site_greedy_is_exact():
    rng = np.random.default_rng(7)
    cover = sparse.csc_matrix(rng.random((30, 12)) < 0.3)
    weights = rng.integers(1, 9, size=30).astype(float)
    result = siting.solve(weights, cover, 1, method="greedy")
    assert result.optimal and result.value == pytest.approx(brute_force(weights, cover, 1))
