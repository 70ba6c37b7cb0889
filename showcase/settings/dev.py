"""Local development: debug on, a fixed insecure key unless one is given."""

from .base import *  # noqa: F403
from .env import env_bool, env_str

DEBUG = env_bool("DEBUG", default=True)
SECRET_KEY = env_str("SECRET_KEY") or "django-insecure-dev-only-not-for-production"
