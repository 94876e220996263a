"""The live benchmark's world: 60 people with a signed-in session each (their session keys
are printed as a JSON list). Run with Django settings in the environment
(`python -m bench.live.seed`)."""

import json

import django

django.setup()

from django.contrib.auth import (  # noqa: E402
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
)
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402

User = get_user_model()
keys = []
for n in range(60):
    user = User.objects.create(
        username=f"live{n}", display_name=f"骑手{n}", phone=f"1990001{n:04d}"
    )
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "dandelion.accounts.backends.LockoutModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    keys.append({"user_id": user.pk, "session": session.session_key})
print(json.dumps(keys))
