import pytest

from tests.core.world import FAST_HASHERS


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:
    """Argon2 costs ~0.1 s a hash; only the test about hashing itself uses it."""
    settings.PASSWORD_HASHERS = FAST_HASHERS
