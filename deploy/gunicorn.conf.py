"""gunicorn for the POC Showcase: `gunicorn -c deploy/gunicorn.conf.py showcase.wsgi`.

Behind nginx (deploy/nginx/poc-showcase.conf), which buffers slow clients and uploads, so
synchronous workers suffice: each serves one request at a time and the count follows the cores.
Every value can be overridden from the environment (GUNICORN_*), as systemd and
scripts/production.sh set them.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# (2 × cores) + 1: while one worker waits on PostgreSQL or Elasticsearch another uses the core.
workers = int(os.environ.get("GUNICORN_WORKERS") or multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"
# Longer than ELASTICSEARCH_TIMEOUT plus the slowest page, shorter than nginx's proxy_read_timeout.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never grows without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Only nginx speaks to gunicorn; Django decides what to believe of X-Forwarded-* itself.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Django's own log lines (the search falling back, refused emails) go to the same error log.
capture_output = True
pidfile = os.environ.get("GUNICORN_PIDFILE") or None
proc_name = "poc-showcase"
# Workers start from a loaded application: less memory, and an import error stops the master.
preload_app = True
