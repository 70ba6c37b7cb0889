"""Production: refuses to start without what only the operator can decide.

A secret key, the host names, the admin's public address, and how many reverse proxies stand
in front of the site (0 when clients connect directly): guessing the last one wrong either
puts every visitor behind one address or lets clients choose theirs. Behind a
TLS-terminating proxy that sets X-Forwarded-Proto.
"""

from .base import *  # noqa: F403
from .env import env_bool, env_int, env_list, env_required, env_str

DEBUG = False
SECRET_KEY = env_required("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    env_required("ALLOWED_HOSTS")
# Links in emails to moderators and makers: never the development default.
WAGTAILADMIN_BASE_URL = env_required("WAGTAILADMIN_BASE_URL")
env_required("TRUSTED_PROXY_COUNT")
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Administrators and moderators log in with a second factor (showcase/two_factor.py).
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", default=True)

# Submitters and moderators must actually receive their emails.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
# Cookies travel over HTTPS only. `false` is for a rehearsal on loopback without TLS
# (scripts/production.sh), never for a public address.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Documents: Wagtail's view checks who may see them, then nginx sends the file from an internal
# location (X-Accel-Redirect), so a gunicorn worker never streams a download.
DOCUMENTS_ACCEL_REDIRECT_URL = env_str("DOCUMENTS_ACCEL_REDIRECT_URL")
if DOCUMENTS_ACCEL_REDIRECT_URL:
    SENDFILE_BACKEND = "showcase.sendfile_nginx"
