from dandelion.accounts.testing import *  # noqa: F403
