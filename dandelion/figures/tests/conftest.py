from dandelion.accounts.testing import *  # noqa: F403
from dandelion.catalog.testing import *  # noqa: F403
from dandelion.orgs.testing import *  # noqa: F403
