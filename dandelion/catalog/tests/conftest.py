import pytest

from dandelion.accounts.testing import *  # noqa: F403
from dandelion.catalog.testing import *  # noqa: F403
from dandelion.orgs.testing import *  # noqa: F403


@pytest.fixture
def lianxi_street(jiujiang):
    from dandelion.regions.services import region_upsert

    return region_upsert(code="360402001", name="十里街道", parent=jiujiang["lianxi"])
