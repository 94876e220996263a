"""Writes of the organisation tree. `path` (ids from the root) is kept here and only here."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dandelion.core.errors import InvalidInput, field_error, validated_save
from dandelion.core.events import publish

from ..errors import OrgsError
from ..events import OrganisationChanged
from ..models import Organisation

FIELDS = {"name", "kind", "region", "parent", "station", "description", "is_active"}


def _validated_save(organisation: Organisation) -> None:
    validated_save(organisation, exclude=["path", "city_code"])


def _standing(organisation: Organisation) -> dict:
    """What an organisation is and where (what the figures count it by): a change of these is
    announced (`OrganisationChanged`)."""
    return {
        "kind": organisation.kind,
        "region": organisation.region.code,
        "is_active": organisation.is_active,
    }


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
    publish(
        OrganisationChanged(
            occurred_at=timezone.now(),
            organisation_id=organisation.pk,
            kind=organisation.kind,
            region_code=region.code,
            is_active=organisation.is_active,
            created=True,
        )
    )
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, **fields) -> Organisation:
    """Change fields; a new `parent` moves the whole subtree (never under itself). A change of
    kind, region or being active is announced (`OrganisationChanged`)."""
    unknown = sorted(set(fields) - FIELDS)
    if unknown:
        message = _("不能修改这些字段：%(fields)s。") % {"fields": ", ".join(unknown)}
        raise InvalidInput(
            message,
            code=OrgsError.UNKNOWN_FIELDS,
            errors=[field_error(f, OrgsError.UNKNOWN_FIELDS, message) for f in unknown],
        )
    old_path = organisation.path
    # What the row holds now: the instance may already carry the new values (an admin form).
    before = _standing(Organisation.objects.select_related("region").get(pk=organisation.pk))
    for key, value in fields.items():
        setattr(organisation, key, value)
    organisation.city_code = organisation.region.city_code
    parent = organisation.parent
    if parent is not None and parent.path.startswith(old_path):
        message = _("上级组织不能是它自己或它的下级组织。")
        raise InvalidInput(
            message,
            code=OrgsError.ORGANISATION_CYCLE,
            errors=[field_error("parent", OrgsError.ORGANISATION_CYCLE, message)],
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
    after = _standing(organisation)
    changed = tuple(field for field in after if after[field] != before[field])
    if changed:
        publish(
            OrganisationChanged(
                occurred_at=timezone.now(),
                organisation_id=organisation.pk,
                kind=organisation.kind,
                region_code=organisation.region.code,
                previous_region_code=before["region"] if "region" in changed else None,
                is_active=organisation.is_active,
                changed=changed,
            )
        )
    return organisation


@transaction.atomic
def organisation_rotate_code(*, organisation: Organisation) -> Organisation:
    """Invalidate every join or return-to-team code of the organisation handed out so far."""
    Organisation.objects.filter(pk=organisation.pk).update(
        code_version=organisation.code_version + 1
    )
    organisation.refresh_from_db(fields=["code_version"])
    return organisation
