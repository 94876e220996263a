"""Stable HSDS ids: UUID 5 over one namespace and the kind of object and its source row's own
stable key (its uuid, code or primary key), so an id never changes between requests or
deployments and no database counter is shown."""

import uuid

NAMESPACE = uuid.UUID("5c6f2d7e-3b1a-5d0e-9f43-2a8e6c1d7b90")


def hsds_id(kind: str, *key: object) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join([kind, *(str(k) for k in key)])))
