"""The open-data rule: at community level, people-figures under 5 are withheld; nothing else
is."""

from dandelion.figures.open_data import SUPPRESS_BELOW, open_figures, suppressed
from dandelion.figures.tests.sample import headline, sample_figures


def test_the_rule():
    assert SUPPRESS_BELOW == 5
    assert suppressed(key="workers.registered", level="community", value=4)
    assert suppressed(key="visits.workers", level="community", value=0)
    assert not suppressed(key="workers.registered", level="community", value=5)
    assert not suppressed(key="workers.registered", level="street", value=1)
    assert not suppressed(key="visits.count", level="community", value=1)
    assert not suppressed(key="reports.submitted", level="community", value=2)
    assert not suppressed(key="workers.registered", level="community", value=None)


def test_a_community_publishes_no_small_people_counts():
    figures = sample_figures(
        code="360403001001",
        name="滨兴社区",
        level="community",
        workers={"registered": 4, "registered_in_period": 1, "by_occupation": []},
        visits={"count": 3, "workers": 2},
        volunteering={"teams": 1, "volunteers": 7, "activities": 2, "hours": 5.0},
        children=[],
    )
    published = {v.key: v for v in open_figures(figures)["figures"]}
    assert published["workers.registered"].value is None
    assert published["workers.registered"].suppressed
    assert published["workers.registered_in_period"].value is None
    assert published["visits.workers"].value is None
    assert published["visits.count"].value == 3
    assert published["volunteering.volunteers"].value == 7
    assert not published["volunteering.volunteers"].suppressed


def test_child_communities_are_suppressed_in_a_streets_breakdown():
    figures = sample_figures(
        code="360403001",
        name="湓浦街道",
        level="street",
        children=[
            ("360403001001", "滨兴社区", "community", headline(workers_registered=3, visits=2)),
            ("360403001002", "湓浦社区", "community", headline(workers_registered=9)),
        ],
    )
    data = open_figures(figures)
    first, second = ({v.key: v for v in row["figures"]} for row in data["by_region"])
    assert first["workers_registered"].value is None and first["workers_registered"].suppressed
    assert first["visits"].value == 2
    assert second["workers_registered"].value == 9
    top = {v.key: v for v in data["figures"]}
    assert top["workers.registered"].value == 34000
    assert [b["key"] for b in data["breakdowns"]] == ["reports_by_category", "stations_by_kind"]
