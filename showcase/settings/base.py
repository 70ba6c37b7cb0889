"""Settings shared by every environment, read from environment variables.

With nothing set, the site runs on the embedded default: a SQLite file and Wagtail's
database search backend, so it needs no server at all.
"""

from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_int_list, env_list, env_str

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = env_bool("DEBUG", default=False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "showcase",
    "poc_catalogue",
    "poc_catalogue.submissions",
    "poc_catalogue.comments",
    "poc_catalogue.supports",
    "search",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Staff translate pages in wagtail-localize's editor (segment by segment, PO files for
    # agencies); its `locales` app replaces Wagtail's to manage the site's languages.
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    # Staff pin POCs at the top of the results for a query (`search.steering`).
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "axes",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # /sitemap.xml (`showcase.sitemaps`): its view and template.
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Counts visitors' searches, stored pages included: outside the page store below.
    "search.statistics.SearchStatisticsMiddleware",
    # Pages that change only on publication, served whole to visitors without a session.
    "poc_catalogue.published_cache.PublishedResponseMiddleware",
    # Wagtail's site lookup and routing, once per published version.
    "poc_catalogue.published_routes.PublishedRouteMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Two-factor authentication (django-otp): see TWO_FACTOR_REQUIRED below.
    "django_otp.middleware.OTPMiddleware",
    "showcase.two_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "showcase.security.ContentSecurityPolicyMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Refuses logins from a client that failed too often, before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "showcase.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "showcase.wsgi.application"

# Database: DATABASE_URL (postgres://user:password@host:port/name) or the embedded SQLite file.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# French first, English second.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATIC_URL = "/static/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Wagtail's page editor can exceed Django's default of 1000 fields per form.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "POC Showcase — Lille Métropole World Design Capital 2020"
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# French is the source of every page; English pages are translations of French ones
# (`poc_catalogue.translations`). Under /en/, a page not translated yet is served in French.
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# A translation starts as a draft: until staff publish it, /en/ shows the French page (marked
# French) rather than a copy of its French text posing as English.
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
# One slug rule for every page: ASCII, as `poc_catalogue.slugs` makes them for submissions and
# the demo (`banc-connecte`, never `banc-connecté`, which shows as `banc-connect%C3%A9`).
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# Staff browsers ask no third party: no Gravatar portraits, no check for Wagtail releases.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Every document is downloaded, never opened in the site's origin (PDFs included).
WAGTAILDOCS_INLINE_CONTENT_TYPES: list[str] = []
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"avif": "avif", "webp": "webp"}
# Publishing a POC queues its image renditions on the task worker (poc_catalogue/renditions.py),
# so no visitor waits for them.
CATALOGUE_PREPARE_RENDITIONS = env_bool("CATALOGUE_PREPARE_RENDITIONS", True)

# What the home and POC pages show, cached per published version (poc_catalogue/
# published_cache.py): in each process's memory by default, which needs no server and stays
# right across processes and machines, since the version is read from the database. A shared
# cache (CACHE_URL is not read: set CACHES in a settings module) only saves renderings.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": env_int("PUBLISHED_CACHE_ENTRIES", 1000)},
    }
}
PUBLISHED_CACHE = "default"
PUBLISHED_CACHE_SECONDS = env_int("PUBLISHED_CACHE_SECONDS", 3600)

# Wagtail's own admin search stays on the database backend; the public catalogue
# search has its own Elasticsearch index (see search/).
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database"},
}

# The catalogue page (a page of the content app) is served by the search app's interface.
CATALOGUE_PAGE_VIEW = "search.catalogue_page.serve_catalogue"

# Elasticsearch for the catalogue: unset means no Elasticsearch, the database answers.
ELASTICSEARCH_URL = env_str("ELASTICSEARCH_URL")
ELASTICSEARCH_INDEX_PREFIX = env_str("ELASTICSEARCH_INDEX_PREFIX", "showcase")
ELASTICSEARCH_TIMEOUT = float(env_str("ELASTICSEARCH_TIMEOUT", "2"))
ELASTICSEARCH_INDEXING_TIMEOUT = float(env_str("ELASTICSEARCH_INDEXING_TIMEOUT", "60"))
# Copies of the catalogue index on other nodes: 1 or more on a cluster, so a node can go.
ELASTICSEARCH_REPLICAS = env_int("ELASTICSEARCH_REPLICAS", 0)
# Days of visitors' search counts kept (`manage.py purge_search_statistics`): 13 months, so a
# month can be compared with the same month a year before.
SHOWCASE_SEARCH_STATS_RETENTION_DAYS = env_int("SHOWCASE_SEARCH_STATS_RETENTION_DAYS", 395)

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
# With django.core.mail.backends.filebased.EmailBackend: one file per email, in this directory.
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH") or None
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "POC Showcase <noreply@localhost>")

# Submissions from the public form (poc_catalogue/submissions/).
# The submitter's contact details are deleted this many days after the submission.
SUBMISSION_CONTACT_RETENTION_DAYS = env_int("SUBMISSION_CONTACT_RETENTION_DAYS", 365)
# Per client address and per hour; counted in the database, so shared by every worker.
SUBMISSION_RATE_LIMIT_PER_HOUR = env_int("SUBMISSION_RATE_LIMIT_PER_HOUR", 5)
SUBMISSION_ATTEMPT_LIMIT_PER_HOUR = env_int("SUBMISSION_ATTEMPT_LIMIT_PER_HOUR", 30)
# Told of every new submission; when set, instead of the members of the review task's groups
# ("Moderators" by default). See poc_catalogue/submissions/moderators.py.
SUBMISSION_MODERATOR_EMAILS = env_list("SUBMISSION_MODERATOR_EMAILS")
# Where submitters write to exercise their data protection rights (shown on the form).
SUBMISSION_PRIVACY_EMAIL = env_str("SUBMISSION_PRIVACY_EMAIL")
# Images of a refused attempt, kept a day so the maker does not choose them again: a private
# directory, outside MEDIA_ROOT and served by nobody.
SUBMISSION_KEPT_IMAGES_DIR = Path(
    env_str("SUBMISSION_KEPT_IMAGES_DIR") or BASE_DIR / "var" / "kept-images"
)
# Seconds between attempts to send a submission email while the mail server refuses it;
# after the last one the email is given up and logged as an error (about a day in all).
SUBMISSION_EMAIL_RETRY_DELAYS = env_int_list(
    "SUBMISSION_EMAIL_RETRY_DELAYS", [60, 300, 1800, 7200, 21600, 21600, 21600]
)

# Visitors' comments under POCs (poc_catalogue/comments/), per client network and per hour,
# counted like submissions; the commenter's email is erased on the schedule of submission
# contacts (SUBMISSION_CONTACT_RETENTION_DAYS).
COMMENT_RATE_LIMIT_PER_HOUR = env_int("COMMENT_RATE_LIMIT_PER_HOUR", 5)
COMMENT_ATTEMPT_LIMIT_PER_HOUR = env_int("COMMENT_ATTEMPT_LIMIT_PER_HOUR", 30)
COMMENT_REPORT_LIMIT_PER_HOUR = env_int("COMMENT_REPORT_LIMIT_PER_HOUR", 10)

# "Je soutiens" (poc_catalogue/supports/): supports given or withdrawn per network (an IPv4
# address or an IPv6 /64) and per hour, counted in this cache (a shared one makes the limit
# hold across worker processes). A school or an office shares one address: the limit leaves
# a class room to support a few POCs each while bounding a script that drops its cookie.
SUPPORT_RATE_LIMIT_PER_HOUR = env_int("SUPPORT_RATE_LIMIT_PER_HOUR", 60)
SUPPORT_RATE_CACHE = "default"
# The signed cookie listing the POCs a browser supports (never sent to the cache as a key).
SUPPORT_COOKIE_NAME = "poc_supports"
# Counts reach the search index in one batch at most this many seconds after a click.
SUPPORT_INDEX_BATCH_SECONDS = env_int("SUPPORT_INDEX_BATCH_SECONDS", 60)

# Spreadsheets and photo ZIPs staff send to "Importer des POC", with each import's progress
# (poc_catalogue/transfer/jobs.py): a private directory, outside MEDIA_ROOT, shared by the web
# server and the task worker; each import's files are deleted after this many days.
CATALOGUE_IMPORTS_DIR = Path(env_str("CATALOGUE_IMPORTS_DIR") or BASE_DIR / "var" / "imports")
CATALOGUE_IMPORT_RETENTION_DAYS = env_int("CATALOGUE_IMPORT_RETENTION_DAYS", 7)

# Who the client is, behind the reverse proxies we run (rate limits, login throttling).
# TRUSTED_PROXY_COUNT proxies each append the address they saw to X-Forwarded-For; the header
# is believed only when the request comes from one of TRUSTED_PROXIES (addresses or networks),
# so a client reaching the application directly cannot choose its own address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", ["127.0.0.0/8", "::1/128"])

# The durable task queue (django-tasks-db): index updates and emails wait in the database
# until `manage.py db_worker` runs them, so a slow or absent service never holds a request.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# "Vélo" and "vélo" are one tag.
TAGGIT_CASE_INSENSITIVE = True

# Login throttling (django-axes): a client that fails to log in AXES_FAILURE_LIMIT times for
# one username is refused for AXES_COOLOFF_MINUTES, whatever the password it tries next.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "poc_catalogue.submissions.clients.client_address_of"
AXES_LOCKOUT_CALLABLE = "showcase.views.login_locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False

# Two-factor authentication for the admin (django-otp: TOTP apps and backup codes). When
# required (production's default), administrators and moderators must enrol an authenticator
# app at their first login and give its code at every login (showcase/two_factor.py). Anyone
# may enrol from their account menu; once enrolled, they are asked too. Optional in development.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", default=False)
OTP_TOTP_ISSUER = "POC Showcase"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "elastic_transport": {"level": "WARNING"},
        "elasticsearch": {"level": "WARNING"},
    },
}

# Map tiles for the catalogue and POC maps; markers still show when tiles cannot load.
MAP_TILE_URL = env_str("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env_str(
    "MAP_TILE_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
)
# From this many matching POCs, the catalogue map asks the server for clusters per map tile
# instead of drawing one marker per POC.
CATALOGUE_MAP_CLUSTER_THRESHOLD = env_int("CATALOGUE_MAP_CLUSTER_THRESHOLD", 2000)

# Content-Security-Policy (django-csp): no inline script or style runs unless it carries the
# response's nonce. showcase.security adds the map tile and media origins to img-src.
VIDEO_EMBED_ORIGINS = [
    "https://www.youtube.com",
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
    "https://www.dailymotion.com",
    "https://geo.dailymotion.com",
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF],
        "frame-src": [SELF, *VIDEO_EMBED_ORIGINS],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}
