"""Every redemption written before its history existed gets the events it went through, from
its own columns: issued when redeemed; fulfilled by whoever fulfilled it; cancelled by whoever
the refund names (the worker, or staff); expired by the system."""

from django.db import migrations

WORKER, STAFF, SYSTEM = "worker", "staff", "system"


def _event(row, action, source, target, *, actor_id, role, at):
    return {
        "redemption_id": row.pk,
        "action": action,
        "from_state": source,
        "to_state": target,
        "actor_id": actor_id,
        "actor_role": role,
        "created_at": at,
    }


def _history(row) -> list[dict]:
    events = [
        _event(row, "issue", "", "issued", actor_id=row.user_id, role=WORKER, at=row.created_at)
    ]
    closed_at = row.closed_at or row.fulfilled_at or row.created_at
    if row.status == "fulfilled":
        events.append(
            _event(
                row,
                "fulfil",
                "issued",
                "fulfilled",
                actor_id=row.fulfilled_by_id,
                role=STAFF,
                at=row.fulfilled_at or closed_at,
            )
        )
    elif row.status == "cancelled":
        by = row.refund.actor_id if row.refund_id else None
        role = WORKER if by == row.user_id else STAFF
        events.append(
            _event(row, "cancel", "issued", "cancelled", actor_id=by, role=role, at=closed_at)
        )
    elif row.status == "expired":
        events.append(
            _event(row, "expire", "issued", "expired", actor_id=None, role=SYSTEM, at=closed_at)
        )
    return events


def backfill(apps, schema_editor):
    Redemption = apps.get_model("points", "Redemption")
    RedemptionEvent = apps.get_model("points", "RedemptionEvent")
    batch = []
    rows = Redemption.objects.filter(events__isnull=True).select_related("refund").order_by("pk")
    for row in rows.iterator(chunk_size=500):
        batch += [RedemptionEvent(**fields) for fields in _history(row)]
        if len(batch) >= 1000:
            RedemptionEvent.objects.bulk_create(batch)
            batch = []
    RedemptionEvent.objects.bulk_create(batch)


def forget(apps, schema_editor):
    # Going back drops the table in 0002; nothing to undo here.
    pass


class Migration(migrations.Migration):
    dependencies = [("points", "0002_redemption_events")]

    operations = [migrations.RunPython(backfill, forget)]
