"""The photo benchmark's world: 九江市 → 浔阳区 → 甘棠街道, the report category `garbage`, and
60 workers with API tokens (printed as a JSON list). Run with Django settings in the
environment (`python -m bench.photos.seed`)."""

import json

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402

from dandelion.accounts.services import token_issue  # noqa: E402
from dandelion.regions.services import region_upsert  # noqa: E402
from dandelion.reports.services import category_upsert  # noqa: E402

province = region_upsert(code="360000", name="江西省")
city = region_upsert(
    code="360400", name="九江市", parent=province, center_lat=29.705, center_lng=116.0
)
district = region_upsert(
    code="360403", name="浔阳区", parent=city, center_lat=29.7275, center_lng=115.9899
)
region_upsert(
    code="360403001", name="甘棠街道", parent=district, center_lat=29.722, center_lng=115.995
)
category_upsert(region=city, code="garbage", name="暴露垃圾", name_en="Exposed rubbish")
User = get_user_model()
tokens = []
for n in range(60):
    user = User.objects.create(
        username=f"bench{n}", display_name=f"骑手{n}", phone=f"1990000{n:04d}"
    )
    tokens.append(token_issue(user=user)[1])
print(json.dumps(tokens))
