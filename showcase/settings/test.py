"""The test suite: fast hashing, in-memory mail, media in a throwaway folder.

DATABASE_URL and ELASTICSEARCH_URL come from the environment, as `make test` sets them.
"""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .env import env_str

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or tempfile.mkdtemp(prefix="showcase-test-media-"))
SUBMISSION_KEPT_IMAGES_DIR = Path(
    env_str("SUBMISSION_KEPT_IMAGES_DIR") or tempfile.mkdtemp(prefix="showcase-test-kept-")
)
CATALOGUE_IMPORTS_DIR = Path(
    env_str("CATALOGUE_IMPORTS_DIR") or tempfile.mkdtemp(prefix="showcase-test-imports-")
)
ELASTICSEARCH_INDEX_PREFIX = env_str("ELASTICSEARCH_INDEX_PREFIX", "showcase-test")

# Tasks run as they are queued, so a test sees their effect at once; the tests of the queue
# itself switch to the database backend and run `manage.py db_worker` as a process.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Run at once, a publication's renditions would cost every test that publishes a second or so;
# the tests of poc_catalogue/renditions.py turn them on.
CATALOGUE_PREPARE_RENDITIONS = False

# A SQLite test database in a file rather than in memory, so that the management commands
# the tests run as processes open the very same database.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"showcase-test-{os.getpid()}.sqlite3")
    }
