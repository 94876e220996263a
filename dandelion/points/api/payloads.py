"""Rows as the points API's schemas read them."""

from dandelion.core.qr import qr_svg_inline

from ..models import Entry, Redemption, Reward, Transfer


def entry_payload(entry: Entry) -> dict:
    transfer = entry.transfer
    return {
        "id": entry.pk,
        "amount": entry.amount,
        "balance_after": entry.balance_after,
        "reason": transfer.reason,
        "reason_label": str(transfer.get_reason_display()),
        "memo": transfer.memo,
        "event": transfer.event,
        "at": entry.created_at,
    }


def provider_payload(reward: Reward) -> dict:
    if reward.station_id:
        return {
            "kind": "station",
            "id": reward.station_id,
            "name": reward.station.name,
            "address": reward.station.address,
        }
    if reward.partner_id:
        return {
            "kind": "partner",
            "id": reward.partner_id,
            "name": reward.partner.name,
            "address": reward.partner.address,
        }
    return {
        "kind": "merchant",
        "id": reward.organisation_id,
        "name": reward.organisation.name,
        "address": "",
    }


def reward_payload(reward: Reward) -> dict:
    return {
        "id": reward.pk,
        "title": reward.title,
        "description": reward.description,
        "kind": reward.kind,
        "kind_label": str(reward.get_kind_display()),
        "price": reward.price,
        "stock": reward.stock,
        "per_person_limit": reward.per_person_limit,
        "valid_from": reward.valid_from,
        "valid_until": reward.valid_until,
        "provider": provider_payload(reward),
        "region_code": reward.region.code,
    }


def redemption_payload(redemption: Redemption) -> dict:
    return {
        "id": redemption.pk,
        "code": redemption.code,
        "status": redemption.status,
        "status_label": str(redemption.get_status_display()),
        "price": redemption.price,
        "reward": reward_payload(redemption.reward),
        "created_at": redemption.created_at,
        "expires_at": redemption.expires_at,
        "fulfilled_at": redemption.fulfilled_at,
        "qr_svg": qr_svg_inline(redemption.code),
    }


def transfer_payload(transfer: Transfer) -> dict:
    return {
        "id": transfer.pk,
        "reason": transfer.reason,
        "amount": transfer.amount,
        "memo": transfer.memo,
        "reverses_id": transfer.reverses_id,
        "created_at": transfer.created_at,
    }
