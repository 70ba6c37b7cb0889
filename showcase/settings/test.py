"""The test suite: fast hashing, in-memory mail, media in a throwaway folder.

DATABASE_URL and ELASTICSEARCH_URL come from the environment, as `make test` sets them.
"""

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
ELASTICSEARCH_INDEX_PREFIX = env_str("ELASTICSEARCH_INDEX_PREFIX", "showcase-test")
