"""A worker's new need (小哥点单), routed at once when a rule matches, and the routing rules."""

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dandelion.catalog.selectors import (
    answers_validate,
    item_questions,
    items_serving,
)
from dandelion.core.errors import CoreError, InvalidInput, field_error
from dandelion.core.events import publish
from dandelion.core.photos import atomic_with_files
from dandelion.core.ratelimit import submissions_check, submissions_consume
from dandelion.regions.selectors import region_find

from ..errors import NeedsError
from ..events import NeedSubmitted
from ..models import Need, NeedEvent, RoutingRule
from ..photos import photos_attach, photos_validate
from ..selectors import routing_rule_for
from ..workflow import SUBMIT, WORKER
from .common import OTHER_ACCEPT_HOURS, OTHER_RESOLVE_HOURS
from .notices import need_waiting_notify
from .transitions import need_transition


def _region_for(worker, region_code: str | None):
    """(region, field error or None): the given street, or the worker's work street."""
    if region_code:
        region = region_find(code=region_code)
        if region is None:
            return None, field_error("region", NeedsError.UNKNOWN_REGION, _("请选择街道"))
        return region, None
    profile = getattr(worker, "worker_profile", None)
    if profile is None:
        return None, field_error("region", NeedsError.REGISTRATION_REQUIRED, _("请先完成在线报到"))
    return profile.work_region, None


def _too_long(field: str, limit: int) -> dict:
    return field_error(field, CoreError.TOO_LONG, _("最多 %(limit)d 字") % {"limit": limit})


def _checked(
    *,
    worker,
    item,
    description: str,
    answers: dict | None,
    address: str,
    lat: float | None,
    lng: float | None,
    region_code: str | None,
    urgency: str,
) -> dict:
    """The need's fields, cleaned, or the one `InvalidInput` listing every field problem."""
    errors: list[dict] = []
    description = (description or "").strip()
    if len(description) < 2:
        errors.append(field_error("description", CoreError.REQUIRED, _("请描述你的诉求")))
    elif len(description) > 2000:
        errors.append(_too_long("description", 2000))
    region, error = _region_for(worker, region_code)
    if error:
        errors.append(error)
    if urgency not in Need.Urgency.values:
        errors.append(field_error("urgency", CoreError.INVALID_INPUT, _("请选择普通或紧急")))
    if (lat is None) != (lng is None):
        errors.append(
            field_error(
                "lat" if lat is None else "lng", CoreError.REQUIRED, _("请同时给出纬度和经度")
            )
        )
    elif lat is not None and not (-90 <= lat <= 90 and -180 <= lng <= 180):
        errors.append(field_error("lat", NeedsError.OUT_OF_RANGE, _("坐标超出范围")))
    address = (address or "").strip()
    if len(address) > 200:
        errors.append(_too_long("address", 200))
    if item is not None:
        if (
            region is not None
            and not items_serving(region_code=region.code).filter(pk=item.pk).exists()
        ):
            errors.append(
                field_error("item", NeedsError.ITEM_NOT_OFFERED, _("你所在的街道暂不提供这项服务"))
            )
        if item.needs_location and not address and lat is None:
            errors.append(
                field_error("address", NeedsError.PLACE_REQUIRED, _("这项服务需要填写地点"))
            )
    clean_answers: dict = {}
    try:
        clean_answers = answers_validate(questions=item_questions(item), answers=answers)
    except InvalidInput as exc:
        errors.extend(exc.errors)
    if errors:
        raise InvalidInput(
            _("诉求没有填完整，或有填错的地方。"), code=NeedsError.INVALID_NEED, errors=errors
        )
    return {
        "description": description,
        "answers": clean_answers,
        "address": address,
        "lat": lat,
        "lng": lng,
        "urgency": urgency,
        "region": region,
    }


def need_submit(
    *,
    worker,
    item,
    description: str,
    answers: dict | None = None,
    address: str = "",
    lat: float | None = None,
    lng: float | None = None,
    region_code: str | None = None,
    urgency: str = Need.Urgency.NORMAL,
    client_token: str = "",
    photos: Sequence[UploadedFile] = (),
    now: datetime | None = None,
) -> tuple[Need, bool]:
    """A worker's new need (小哥点单). The region is the given street or the worker's work
    street; the deadlines come from the item (or the defaults for "other"). A rule matching the
    item and region dispatches it at once (as the system); otherwise it waits in the
    dispatchers' queue.

    A retried submission with the same `client_token` returns the first need (created=False).
    Each need stored counts against the worker's submission limit (`SUBMISSION_RATES`, 429
    beyond it), in the transaction that stores it.

    The photos are decoded and re-encoded before the transaction opens, once the fields are
    known to be good and the worker known to have a submission left: a long decode must not hold
    the database's write lock (SQLite has one, taken at BEGIN). They are stored inside the
    need's `atomic_with_files` block, so a need not saved leaves no file behind."""
    now = now or timezone.now()
    if client_token:
        existing = Need.objects.filter(worker=worker, client_token=client_token).first()
        if existing is not None:
            return existing, False
    fields = _checked(
        worker=worker,
        item=item,
        description=description,
        answers=answers,
        address=address,
        lat=lat,
        lng=lng,
        region_code=region_code,
        urgency=urgency,
    )
    uploads = [upload for upload in photos if upload and upload.size]
    images = []
    if uploads:
        submissions_check(person=worker, kind="need")
        images = photos_validate(uploads)
    with atomic_with_files() as files:
        return _stored(
            worker=worker,
            item=item,
            fields=fields,
            client_token=client_token,
            images=images,
            files=files,
            now=now,
        )


def _stored(*, worker, item, fields: dict, client_token: str, images, files, now) -> tuple:
    """The checked need saved with its first event and photos, counted, and routed."""
    accept_hours = item.accept_hours if item else OTHER_ACCEPT_HOURS
    resolve_hours = item.resolve_hours if item else OTHER_RESOLVE_HOURS
    region = fields["region"]
    need = Need(
        worker=worker,
        item=item,
        **fields,
        city_code=region.city_code,
        client_token=client_token,
        submitted_at=now,
        accept_due_at=now + timedelta(hours=accept_hours),
        resolve_due_at=now + timedelta(hours=resolve_hours),
    )
    try:
        with transaction.atomic():
            need.save()
    except IntegrityError:
        # The same token submitted twice at once: the other request won.
        existing = Need.objects.filter(worker=worker, client_token=client_token).first()
        if existing is None:
            raise
        return existing, False
    submissions_consume(person=worker, kind="need")
    # The need's first event: its creation, not a move of the table.
    NeedEvent.objects.create(
        need=need,
        action=SUBMIT,
        from_state="",
        to_state=need.state,
        actor=worker,
        actor_role=WORKER,
        created_at=now,
    )
    photos_attach(need=need, images=images, files=files)
    publish(
        NeedSubmitted(
            occurred_at=now,
            need_id=need.pk,
            worker_id=worker.pk,
            region_code=need.region.code,
            item=need.item.code if need.item_id else "other",
        )
    )
    rule = routing_rule_for(item_id=need.item_id, region_code=need.region.code)
    if rule is not None:
        need = need_transition(
            need=need, action="dispatch", actor=None, department=rule.department, now=now
        )
    else:
        need_waiting_notify(need)
    return need, True


@transaction.atomic
def routing_rule_set(*, item, region, department) -> tuple[RoutingRule, bool]:
    """The rule for `item` in `region`, created or pointed at `department`."""
    rule, created = RoutingRule.objects.get_or_create(
        item=item, region=region, defaults={"department": department}
    )
    if not created and (rule.department_id != department.pk or not rule.is_active):
        rule.department = department
        rule.is_active = True
        rule.save()
    return rule, created
