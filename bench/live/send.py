"""Send one notification to a person from a process of its own (as the task worker would) and
print the wall-clock time its transaction committed: `python -m bench.live.send USER_ID`."""

import sys
import time

import django

django.setup()

from django.db import transaction  # noqa: E402

from dandelion.notifications.services import notification_send  # noqa: E402

with transaction.atomic():
    notification_send(recipients=[int(sys.argv[1])], kind="bench.live", params={"n": 1})
print(time.time())
