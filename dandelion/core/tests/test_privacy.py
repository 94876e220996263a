import pytest

from dandelion.core.privacy import phone_mask


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("13812345678", "138****5678"),
        ("+86 138 1234 5678", "138****5678"),
        ("+8613812345678", "138****5678"),
        ("0792-8221234", "079****1234"),
        ("822-1234", "82****34"),
        ("12345", "****45"),
        ("", ""),
        (None, ""),
    ],
)
def test_phone_mask(raw, masked):
    assert phone_mask(raw) == masked
