"""The small references every API nests: a region by code and name, a person by id and name with
the phone masked. Schemas and builders live together here so that apps showing a region or a
person say it the same way without importing each other's API modules."""

from ninja import Field, Schema

from .privacy import phone_mask


class RegionRef(Schema):
    code: str
    name: str


class UserRef(Schema):
    id: int
    display_name: str
    phone: str = Field(description="Masked")


def region_ref(region) -> dict | None:
    return {"code": region.code, "name": region.name} if region is not None else None


def user_ref(user) -> dict:
    return {"id": user.pk, "display_name": str(user), "phone": phone_mask(user.phone)}
