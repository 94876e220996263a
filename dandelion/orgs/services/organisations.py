"""Writes of the organisation tree. `path` (ids from the root) is kept here and only here."""

from django.core.exceptions import ValidationError
from django.db import transaction

from dandelion.core.errors import InvalidInput

from ..models import Organisation

FIELDS = {"name", "kind", "region", "parent", "station", "description", "is_active"}


def _validated_save(organisation: Organisation) -> None:
    try:
        organisation.full_clean(exclude=["path", "city_code"])
    except ValidationError as exc:
        raise InvalidInput(
            "Invalid organisation.",
            code="invalid_organisation",
            errors=[
                {"field": field, "msg": str(msg)}
                for field, msgs in exc.message_dict.items()
                for msg in msgs
            ],
        ) from exc
    organisation.save()


@transaction.atomic
def organisation_create(
    *,
    name: str,
    kind: str,
    region,
    parent: Organisation | None = None,
    station=None,
    description: str = "",
) -> Organisation:
    organisation = Organisation(
        name=name,
        kind=kind,
        region=region,
        city_code=region.city_code,
        parent=parent,
        station=station,
        description=description,
        path="/",
    )
    _validated_save(organisation)
    organisation.path = f"{parent.path if parent else '/'}{organisation.pk}/"
    organisation.save(update_fields=["path"])
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, **fields) -> Organisation:
    """Change fields; a new `parent` moves the whole subtree (never under itself)."""
    unknown = set(fields) - FIELDS
    if unknown:
        raise InvalidInput(
            f"Unknown fields: {', '.join(sorted(unknown))}.",
            code="unknown_fields",
            errors=[{"field": f, "msg": "unknown field"} for f in sorted(unknown)],
        )
    old_path = organisation.path
    for key, value in fields.items():
        setattr(organisation, key, value)
    organisation.city_code = organisation.region.city_code
    parent = organisation.parent
    if parent is not None and parent.path.startswith(old_path):
        raise InvalidInput(
            "An organisation cannot sit under itself.",
            code="organisation_cycle",
            errors=[{"field": "parent", "msg": "is this organisation or below it"}],
        )
    new_path = f"{parent.path if parent else '/'}{organisation.pk}/"
    organisation.path = new_path
    _validated_save(organisation)
    if new_path != old_path:
        for descendant in Organisation.objects.filter(path__startswith=old_path).exclude(
            pk=organisation.pk
        ):
            descendant.path = new_path + descendant.path[len(old_path) :]
            descendant.save(update_fields=["path"])
    return organisation


@transaction.atomic
def organisation_rotate_code(*, organisation: Organisation) -> Organisation:
    """Invalidate every join or return-to-team code of the organisation handed out so far."""
    Organisation.objects.filter(pk=organisation.pk).update(
        code_version=organisation.code_version + 1
    )
    organisation.refresh_from_db(fields=["code_version"])
    return organisation
