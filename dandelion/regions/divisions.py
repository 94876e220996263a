"""Pure rules about division codes, shared by the loader, services and selectors."""

from .models import Region

LEVEL_BY_LENGTH = {9: Region.Level.STREET, 12: Region.Level.COMMUNITY}


def code_prefix(code: str) -> str:
    """The prefix every contained region's code starts with.

    360000 (a province) → "36"; 360400 (a city) → "3604"; 360403 → "360403";
    360403001 → "360403001". 6-digit codes pad lower levels with zeros, longer ones do not.
    """
    if len(code) == 6:
        if code.endswith("0000"):
            return code[:2]
        if code.endswith("00"):
            return code[:4]
    return code


def level_for_code(code: str) -> str:
    if len(code) == 6:
        if code.endswith("0000"):
            return Region.Level.PROVINCE
        if code.endswith("00"):
            return Region.Level.CITY
        return Region.Level.DISTRICT
    return LEVEL_BY_LENGTH[len(code)]


def city_code_for(code: str) -> str:
    """The city-level (地级) code of any division: 360403001 → 360400. Provinces keep their own."""
    if len(code) == 6 and code.endswith("0000"):
        return code
    return code[:4] + "00"
