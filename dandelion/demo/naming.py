"""Names, hosts and phone numbers of demo places, in the forms Jiujiang's stations use."""

import random
from collections.abc import Callable
from dataclasses import dataclass

from . import vocabulary as words


@dataclass(frozen=True)
class Where:
    """Where a place is: its community, street, district, road and point."""

    community_code: str
    community: str
    street_code: str
    street: str
    district: str
    road: str
    lat: float
    lng: float

    @property
    def short(self) -> str:
        """The street's name without 街道/镇/乡, as used inside names: 甘棠街道 → 甘棠."""
        for suffix in words.STREET_SUFFIXES:
            if self.street.endswith(suffix):
                return self.street.removesuffix(suffix)
        return self.street


class UniqueNames:
    """Hands out names no other place has: a clash draws again, then numbers the name."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def claim(self, draw: Callable[[], tuple[str, ...]]) -> tuple[str, ...]:
        """Call `draw` (which returns a name first, then anything that goes with it) until the
        name is free; after 25 clashes keep the last draw and number its name."""
        for _ in range(25):
            drawn = draw()
            if drawn[0] not in self.used:
                break
        name, n = drawn[0], 2
        while name in self.used:
            name = f"{drawn[0]}（{n}号点）"
            n += 1
        self.used.add(name)
        return (name, *drawn[1:])


def phone(rng: random.Random) -> str:
    """A Jiujiang landline (area code 0792, seven digits)."""
    return f"0792-{rng.choice('2678')}{rng.randint(0, 999999):06d}"


def residents_committee(community: str) -> str:
    return community + ("村民委员会" if community.endswith("村") else "居民委员会")


def _partner_identity(rng: random.Random, origin: str, kind: str, w: Where) -> tuple[str, str]:
    s, r = w.short, w.road
    if origin == "partner_bank":
        bank = rng.choice(words.BANKS)
        city = "" if bank.startswith("九江") else "九江"
        host = bank + rng.choice((f"{city}分行营业部", f"{city}{s}支行", f"{city}{r}支行"))
        return host + rng.choice(("爱心驿站", "暖心驿站", "劳动者港湾")), host
    if origin == "partner_telecom":
        host = f"{rng.choice(words.CARRIERS)}{rng.choice((s, r))}营业厅"
        return host + ("骑手之家" if kind == "rider_home" else "暖心驿站"), host
    if kind == "driver_home":
        host = f"{rng.choice(words.FUEL_STATIONS)}九江{r}加油站"
        return host + "司机之家", host
    host = f"{rng.choice(words.STATION_MERCHANTS)}{r}店"
    suffix = {"rider_home": "骑手驿站", "courier": "快递员歇脚点"}.get(kind, "爱心驿站")
    return host + suffix, host


def _new_build_identity(rng: random.Random, kind: str, w: Where, party: str) -> tuple[str, str]:
    s = w.short
    if kind == "rider_home":
        platform = rng.choice(words.RIDE_PLATFORMS)
        name = rng.choice((f"{platform}{s}站骑手之家", f"{platform}{w.road}骑手之家"))
        return name, rng.choice((party, f"{platform}九江运营中心"))
    if kind == "driver_home":
        places = words.DRIVER_PLACES.get(w.street_code, (f"{w.road}",))
        drivers = rng.choice(("货车司机之家", "网约车司机之家"))
        return rng.choice(places) + drivers, rng.choice(("九江市交通运输局", party))
    if kind == "courier":
        brand = rng.choice((*words.COURIER_BRANDS, words.COURIER_POST))
        if brand == words.COURIER_POST:
            return f"中国邮政{s}揽投部快递员驿站", "中国邮政集团九江市分公司"
        return f"{brand}{s}网点快递员驿站", f"{brand}九江分公司"
    return rng.choice((f"{s}新就业群体综合服务站", f"{w.road}新就业群体综合服务站")), party


def station_identity(rng: random.Random, origin: str, kind: str, w: Where) -> tuple[str, str]:
    """A station's name and its host organisation (承建/托管单位)."""
    if origin.startswith("partner_"):
        return _partner_identity(rng, origin, kind, w)
    union = rng.choice(words.TRADE_UNIONS).format(district=w.district)
    party = rng.choice(words.PARTY_COMMITTEES).format(district=w.district)
    if origin == "new_build":
        return _new_build_identity(rng, kind, w, party)
    # Renovated from existing public space: community centres, street offices, union rooms.
    c = w.community
    if kind == "comprehensive":
        name = rng.choice(
            (
                f"{c}红色蒲公英驿站",
                f"{c}新就业群体服务站",
                f"{w.street}党群服务中心暖心驿站",
                f"{w.road}红色蒲公英驿站",
                f"{w.road}工会户外劳动者驿站",
            )
        )
        return name, rng.choice((residents_committee(c), f"{w.street}办事处", union))
    if kind == "rider_home":
        return rng.choice((f"{w.street}骑手之家", f"{c}骑手之家")), f"{w.street}办事处"
    if kind == "courier":
        return rng.choice((f"{c}快递小哥驿站", f"{w.street}快递员之家")), residents_committee(c)
    if kind == "driver_home":
        return f"{w.road}司机之家", union
    template = rng.choice(words.OTHER_STATION_NAMES)
    return template.format(street=w.street, community=c, road=w.road), union


def merchant_identity(rng: random.Random, w: Where) -> tuple[str, str, str]:
    """A caring merchant's (爱心商铺) shop name, brand and offer to workers."""
    brand = rng.choice(list(words.CARING_MERCHANT_BRANDS))
    offers = words.CARING_MERCHANT_BRANDS[brand]
    offer = "；".join(rng.sample(offers, k=rng.randint(1, min(2, len(offers)))))
    return f"{brand}{rng.choice((w.road, w.short))}店", brand, offer
