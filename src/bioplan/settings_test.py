"""Settings for the test suite: the production settings with BIOPLAN_TESTING on (fast hashing,
plain static storage, huey immediate). DATABASE_URL still chooses SQLite or PostgreSQL."""

import os

os.environ.setdefault("BIOPLAN_TESTING", "1")

from bioplan.settings import *  # noqa: F403
