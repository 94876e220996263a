"""Where to build next: the maximal covering location problem (MCLP), on plain arrays.

Given demand points with weights (people or searches) that no existing station covers yet, and
candidate sites, choose at most `k` sites that together cover the most weight; a point is
covered by a site within the reach (haversine, the same rule as the coverage model). Existing
stations stay: points they already cover are left out before solving.

Two solvers:
- **MILP** (`scipy.optimize.milp`, HiGHS): binary x_j (build site j), continuous
  0 ≤ y_i ≤ 1 (point i covered), maximise Σ w_i·y_i subject to y_i ≤ Σ_{j covers i} x_j and
  Σ x_j ≤ k. Exact within a time budget: `optimal` is HiGHS's own proof (gap 0).
- **Greedy** (lazy evaluation, CELF): the site of largest added weight, k times. Coverage is
  monotone submodular, so greedy ≥ (1 − 1/e)·OPT (Nemhauser, Wolsey & Fisher 1978). It runs when
  the instance has more incidences than `MILP_MAX_NONZEROS` or the MILP hits its time limit
  (then the better of greedy and the MILP's incumbent is returned).

`bound` is always an upper bound on the optimum; `bound_kind` says which of these was the
smallest: `optimal` (the MILP proved it), `milp_dual` (HiGHS's dual bound at the time limit),
`greedy_online` (f(S) + the k largest marginal gains over the greedy set S, valid by
submodularity: Minoux's "online" bound), `greedy_guarantee` (f(S)/(1 − 1/e)) or
`coverable` (all the weight any candidate reaches) or `exhaustive` (k = 1: greedy measured
every candidate). When a greedy answer meets its bound it is optimal and says so.

Before solving, points no candidate reaches are dropped, points reached by exactly the same
set of candidates are merged (their weights add up), and candidates reaching nothing or a
subset of another candidate's points are dropped: the optimum is unchanged and the MILP
shrinks a lot on a fine grid.
"""

import heapq
import math
import time
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.spatial import cKDTree

from dandelion.core.geo import EARTH_RADIUS_M

MILP_TIME_LIMIT_S = 5.0
MILP_MAX_NONZEROS = 400_000
DOMINANCE_MAX_SITES = 50_000  # beyond this, the site × site overlap matrix costs too much
GREEDY_FACTOR = 1.0 - 1.0 / math.e
_EPS = 1e-9


def unit_vectors(lat, lng) -> np.ndarray:
    lat_r = np.radians(np.asarray(lat, dtype=float))
    lng_r = np.radians(np.asarray(lng, dtype=float))
    cos_lat = np.cos(lat_r)
    return np.column_stack((cos_lat * np.cos(lng_r), cos_lat * np.sin(lng_r), np.sin(lat_r)))


def haversine_many(lat1, lng1, lat2, lng2) -> np.ndarray:
    """Element-wise great-circle distances in metres (R = 6,371,008.8 m), the formula of
    `core.geo.haversine_m`."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp = p2 - p1
    dl = np.radians(np.asarray(lng2, dtype=float) - np.asarray(lng1, dtype=float))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.minimum(1.0, np.sqrt(a)))


def coverage_matrix(
    *, point_lat, point_lng, site_lat, site_lng, reach_m: float
) -> sparse.csc_matrix:
    """The n×m boolean matrix: site j covers point i (haversine ≤ reach_m). A k-d tree of unit
    vectors finds the pairs within a slightly widened chord, then the haversine decides, so the
    answer is exactly that of measuring every pair."""
    point_lat = np.asarray(point_lat, dtype=float)
    point_lng = np.asarray(point_lng, dtype=float)
    site_lat = np.asarray(site_lat, dtype=float)
    site_lng = np.asarray(site_lng, dtype=float)
    n, m = len(point_lat), len(site_lat)
    if n == 0 or m == 0:
        return sparse.csc_matrix((n, m), dtype=bool)
    chord = 2.0 * math.sin(min(math.pi, reach_m / EARTH_RADIUS_M) / 2.0) * (1 + 1e-9) + 1e-12
    tree = cKDTree(unit_vectors(point_lat, point_lng))
    near = tree.query_ball_point(unit_vectors(site_lat, site_lng), r=chord)
    lengths = np.fromiter((len(hits) for hits in near), dtype=np.int64, count=m)
    rows = (
        np.concatenate([np.asarray(h, dtype=np.int64) for h in near])
        if lengths.sum()
        else np.zeros(0, dtype=np.int64)
    )
    cols = np.repeat(np.arange(m), lengths)
    keep = (
        haversine_many(point_lat[rows], point_lng[rows], site_lat[cols], site_lng[cols]) <= reach_m
    )
    rows, cols = rows[keep], cols[keep]
    return sparse.csc_matrix((np.ones(len(rows), dtype=bool), (rows, cols)), shape=(n, m))


@dataclass(frozen=True)
class SitingResult:
    """`chosen`: candidate indices in the order chosen (each the largest added weight given the
    ones before); `gains`: each one's added weight; `value`: their sum."""

    chosen: list[int]
    gains: list[float]
    value: float
    solver: str  # "milp" | "greedy"
    optimal: bool
    bound: float
    bound_kind: str
    seconds: float = 0.0
    stats: dict = field(default_factory=dict)


def reduce_instance(weights, cover: sparse.csc_matrix) -> tuple[np.ndarray, sparse.csr_matrix]:
    """Drop points of no weight or that no candidate reaches; merge points reached by the same
    candidates. Returns (weights, csr matrix) of the reduced instance."""
    weights = np.asarray(weights, dtype=float)
    csr = sparse.csr_matrix(cover, dtype=bool)
    csr.sort_indices()
    reached = np.diff(csr.indptr) > 0
    keep = np.flatnonzero(reached & (weights > 0))
    csr = csr[keep]
    w = weights[keep]
    groups: dict[bytes, int] = {}
    merged_w: list[float] = []
    merged_rows: list[np.ndarray] = []
    for i in range(csr.shape[0]):
        cols = csr.indices[csr.indptr[i] : csr.indptr[i + 1]]
        key = cols.tobytes()
        g = groups.get(key)
        if g is None:
            groups[key] = len(merged_w)
            merged_w.append(float(w[i]))
            merged_rows.append(cols)
        else:
            merged_w[g] += float(w[i])
    m = cover.shape[1]
    if not merged_rows:
        return np.zeros(0), sparse.csr_matrix((0, m), dtype=bool)
    lengths = [len(r) for r in merged_rows]
    indices = np.concatenate(merged_rows)
    indptr = np.concatenate(([0], np.cumsum(lengths)))
    data = np.ones(len(indices), dtype=bool)
    return np.asarray(merged_w), sparse.csr_matrix((data, indices, indptr), shape=(len(lengths), m))


def reduce_sites(csr: sparse.csr_matrix) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Drop candidates that reach no point, and candidates dominated by another (reaching a
    subset of its points; of identical ones the first stays): with weights ≥ 0 a dominated
    site never does better than the one dominating it. Returns the kept matrix and the kept
    columns' original indices."""
    csc = sparse.csc_matrix(csr, dtype=bool)
    counts = np.diff(csc.indptr)
    useful = np.flatnonzero(counts > 0)
    if 0 < len(useful) <= DOMINANCE_MAX_SITES:
        sub = csc[:, useful].astype(np.int32)
        overlap = (sub.T @ sub).tocoo()
        size = counts[useful]
        i, j, shared = overlap.row, overlap.col, overlap.data
        dominated = (
            (i != j)
            & (shared == size[i])
            & ((size[j] > size[i]) | ((size[j] == size[i]) & (j < i)))
        )
        keep = np.setdiff1d(np.arange(len(useful)), np.unique(i[dominated]))
        useful = useful[keep]
    return csc[:, useful].tocsr(), useful


def _gain(j: int, weights: np.ndarray, csc: sparse.csc_matrix, uncovered: np.ndarray) -> float:
    rows = csc.indices[csc.indptr[j] : csc.indptr[j + 1]]
    return float(weights[rows][uncovered[rows]].sum())


def _mark(j: int, csc: sparse.csc_matrix, uncovered: np.ndarray) -> None:
    uncovered[csc.indices[csc.indptr[j] : csc.indptr[j + 1]]] = False


def greedy(weights, cover, k: int, among=None) -> tuple[list[int], list[float], np.ndarray]:
    """Lazy greedy: at most `k` sites (from `among`, default all), each of the largest added
    weight, stopping when nothing more can be added. Ties go to the lower index. Returns the
    sites, their gains and the mask of points left uncovered."""
    weights = np.asarray(weights, dtype=float)
    csc = sparse.csc_matrix(cover, dtype=bool)
    uncovered = np.ones(csc.shape[0], dtype=bool)
    initial = np.asarray(csc.T @ weights).ravel()
    candidates = range(csc.shape[1]) if among is None else among
    heap = [(-float(initial[j]), j) for j in candidates]
    heapq.heapify(heap)
    chosen: list[int] = []
    gains: list[float] = []
    while heap and len(chosen) < k:
        _stale, j = heapq.heappop(heap)
        fresh = _gain(j, weights, csc, uncovered)
        if heap:
            top_gain, top_j = -heap[0][0], heap[0][1]
            if fresh + _EPS < top_gain or (fresh - _EPS <= top_gain and top_j < j):
                heapq.heappush(heap, (-fresh, j))
                continue
        if fresh <= _EPS:
            break
        chosen.append(j)
        gains.append(fresh)
        _mark(j, csc, uncovered)
    return chosen, gains, uncovered


def _online_bound(weights, csc, uncovered, value: float, k: int) -> float:
    """f(S) + the sum of the k largest marginal gains over S: an upper bound on OPT for any
    monotone submodular f (each optimal site adds at most its marginal gain over S)."""
    if csc.shape[1] == 0:
        return value
    remaining = np.where(uncovered, weights, 0.0)
    marginal = np.asarray(csc.T @ remaining).ravel()
    top = np.sort(marginal)[::-1][:k]
    return value + float(top.sum())


def _milp(weights, csr, k: int, time_limit: float):
    n, m = csr.shape
    c = np.concatenate((np.zeros(m), -weights))
    a = sparse.hstack(
        (-sparse.csr_matrix(csr, dtype=float), sparse.identity(n, format="csr")), format="csr"
    )
    budget = sparse.csr_matrix(np.concatenate((np.ones(m), np.zeros(n)))[None, :])
    constraints = [
        LinearConstraint(a, -np.inf, 0.0),
        LinearConstraint(budget, 0.0, float(k)),
    ]
    integrality = np.concatenate((np.ones(m), np.zeros(n)))
    return milp(
        c,
        constraints=constraints,
        integrality=integrality,
        bounds=Bounds(0.0, 1.0),
        options={"time_limit": time_limit, "mip_rel_gap": 0.0, "disp": False},
    )


def solve(
    weights,
    cover,
    k: int,
    *,
    time_limit: float = MILP_TIME_LIMIT_S,
    max_nonzeros: int = MILP_MAX_NONZEROS,
    method: str = "auto",
) -> SitingResult:
    """The best ≤ k sites for `weights` (n) over `cover` (n×m, site j covers point i).
    `method`: "auto" (MILP when small enough, else greedy), "milp" or "greedy"."""
    if k < 0:
        raise ValueError("k must not be negative")
    started = time.perf_counter()
    w, csr = reduce_instance(weights, cover)
    csr, columns = reduce_sites(csr)
    csc = csr.tocsc()
    coverable = float(w.sum())
    stats = {"points": int(csr.shape[0]), "sites": int(csr.shape[1]), "nonzeros": int(csr.nnz)}
    g_chosen, g_gains, g_uncovered = greedy(w, csc, k)
    g_value = float(sum(g_gains))
    bounds = {
        "coverable": coverable,
        "greedy_online": _online_bound(w, csc, g_uncovered, g_value, k),
        "greedy_guarantee": g_value / GREEDY_FACTOR,
    }
    if k == 1:
        bounds["exhaustive"] = g_value  # one site: greedy measured every candidate
    use_milp = method == "milp" or (method == "auto" and csr.nnz <= max_nonzeros)
    if method == "greedy":
        use_milp = False
    if k == 0 or coverable <= _EPS or g_value >= min(bounds.values()) - _EPS:
        use_milp = False  # greedy already meets an upper bound: it is optimal
    chosen, gains, value, solver = g_chosen, g_gains, g_value, "greedy"
    if use_milp:
        res = _milp(w, csr, k, time_limit)
        stats["milp_status"] = int(res.status)
        if res.x is not None:
            picked = [int(j) for j in np.flatnonzero(res.x[: csr.shape[1]] > 0.5)]
            order, order_gains, _ = greedy(w, csc, len(picked), among=picked)
            m_value = float(sum(order_gains))
            if res.status == 0:
                bounds = {"optimal": m_value}
            elif getattr(res, "mip_dual_bound", None) is not None and np.isfinite(
                res.mip_dual_bound
            ):
                bounds["milp_dual"] = -float(res.mip_dual_bound)
            if m_value > value + _EPS or res.status == 0:
                chosen, gains, value, solver = order, order_gains, m_value, "milp"
        elif getattr(res, "mip_dual_bound", None) is not None and np.isfinite(
            res.mip_dual_bound or np.nan
        ):
            bounds["milp_dual"] = -float(res.mip_dual_bound)
    bound_kind = min(bounds, key=lambda kind: bounds[kind])
    bound = max(bounds[bound_kind], value)
    optimal = value >= bound - max(_EPS, 1e-9 * abs(bound))
    return SitingResult(
        chosen=[int(columns[j]) for j in chosen],
        gains=gains,
        value=value,
        solver=solver,
        optimal=optimal,
        bound=bound,
        bound_kind="optimal" if solver == "milp" and optimal else bound_kind,
        seconds=time.perf_counter() - started,
        stats=stats,
    )
