from tests.enterprises.fixtures import world  # noqa: F401
