"""Rating tags are stored in Chinese and shown in the reader's language (issue 17)."""

import re

import pytest
from django.utils import translation

from dandelion.accounts.testing import client_for
from dandelion.needs.rating_tags import rating_tag_label

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")
CHIPS = re.compile(r'<div class="skill-chips">.*?</div>', re.S)
RATING = re.compile(r'<div class="need-rating" data-testid="rating">.*?</div>', re.S)


def test_a_tag_reads_in_the_readers_language_and_an_unknown_one_as_stored():
    with translation.override("en"):
        assert rating_tag_label("响应及时") == "Quick response"
        assert rating_tag_label("别的") == "别的"
    with translation.override("zh-hans"):
        assert rating_tag_label("响应及时") == "响应及时"


def test_the_rating_form_and_the_rating_show_tags_in_english(needs_world, make_need_in):
    need = make_need_in("resolved")
    client = client_for(needs_world.worker_x)
    form = client.get(f"/needs/{need.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chips = CHIPS.search(form).group(0)
    assert "Quick response" in chips and 'value="响应及时"' in chips
    assert not CJK.search(re.sub(r'value="[^"]*"', "", chips)), chips
    # The form posts the stored (Chinese) value; the rating then reads in English.
    done = client.post(f"/needs/{need.pk}/rate/", {"stars": "5", "tags": ["响应及时", "办事专业"]})
    assert done.status_code == 302
    page = client.get(f"/needs/{need.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    rating = RATING.search(page).group(0)
    assert "Quick response" in rating and "Professional" in rating
    assert not CJK.search(rating), rating


def test_the_menu_names_the_street_and_describes_items_in_english(needs_world):
    from dandelion.catalog.models import ServiceItem
    from dandelion.regions.models import Region

    Region.objects.filter(code="360403001").update(name_en="Gantang Subdistrict")
    ServiceItem.objects.update(description="中文说明", description_en="In English")
    page = client_for(needs_world.worker_x).get("/needs/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    intro = re.search(r'<p class="form-page__desc">(.*?)</p>', html, re.S).group(1)
    assert "Gantang Subdistrict" in intro and not CJK.search(intro), intro
    descriptions = re.findall(r'<span class="needs-menu__desc">(.*?)</span>', html)
    assert "In English" in descriptions and not any(CJK.search(d) for d in descriptions)


def test_wishes_name_their_street_in_english(needs_world):
    from dandelion.needs.services import wish_create
    from dandelion.regions.models import Region

    Region.objects.filter(code="360403001").update(name_en="Gantang Subdistrict")
    wish = wish_create(worker=needs_world.worker_x, title="书包")
    client = client_for(needs_world.worker_x)
    wall = client.get("/wishes/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    page = client.get(f"/wishes/{wish.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Gantang Subdistrict ·" in wall and "Gantang Subdistrict ·" in page
