"""A notification's params may carry a value in both languages (`category` and `category_en`):
rendered at display time, an English reader gets the English one (issue 17)."""

import re

from django.utils import translation

from dandelion.notifications.kinds import localized_params, render

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_english_twin_wins_for_an_english_reader_only():
    params = {"report_id": 3, "category": "电梯故障", "category_en": "Lift fault"}
    with translation.override("en"):
        assert localized_params(params) == {"report_id": 3, "category": "Lift fault"}
    with translation.override("zh-hans"):
        assert localized_params(params) == {"report_id": 3, "category": "电梯故障"}


def test_rows_without_a_twin_or_with_an_empty_one_keep_the_stored_value():
    with translation.override("en"):
        assert localized_params({"category": "电梯故障"}) == {"category": "电梯故障"}
        assert localized_params({"category": "电梯故障", "category_en": ""}) == {
            "category": "电梯故障"
        }
        assert localized_params({"title_en": "only"}) == {"title_en": "only"}
        assert localized_params(None) == {}


def test_report_notifications_name_the_category_in_english():
    params = {"report_id": 7, "category": "电梯故障", "category_en": "Lift fault", "note": ""}
    for kind in ("reports.assigned", "reports.status.open", "reports.status.fixed"):
        with translation.override("en"):
            title, body = render(kind, params)
        assert not CJK.search(title + body), (kind, title, body)
