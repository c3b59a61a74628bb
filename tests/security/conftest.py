import pytest

from tests.security.world import build_world


@pytest.fixture(scope="session")
def world():
    """The committed world shared by the security tests (read-only for them: writes happen
    inside transactions that are rolled back)."""
    return build_world()
