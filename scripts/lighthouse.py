"""`make lighthouse`: Lighthouse's mobile audit of four public pages on a production-like server.

    .venv/bin/python scripts/lighthouse.py [--demo-count 600] [--runs 3]
                                           [--report lighthouse-report.md]
                                           [--output-dir lighthouse-report]

Builds a throwaway site in a temporary directory: a SQLite database migrated and loaded with the
demo catalogue (`bootstrap_site`), static files collected, then gunicorn with
`showcase.settings.production` (DEBUG off, deploy/gunicorn.conf.py) behind nginx with the site of
deploy/nginx/ (static files hashed and cached a year, media served by nginx, gzip), as
`make production` runs them, without PostgreSQL and Elasticsearch: the catalogue answers from its
database backend. Each page is requested once before it is measured (a POC's first view makes its
image renditions, which the task worker makes when a POC is published).

Lighthouse (the `lighthouse` devDependency in package.json, from node_modules) audits the home
page, a catalogue filtered by a theme and a query, a POC page and the submission form with its
default mobile preset on the OS Chromium (CHROME_PATH), one page after another. It prints the four
category scores and the Largest Contentful Paint of each page (the median of its runs by
performance score, the figure the machine's load moves most) against the target (every category
at least 95, LCP at most 2.5 s) and writes a Markdown report, with the JSON and HTML reports of
each page in the output directory. A missed target is a verdict, not a failure: the exit status
is non-zero only when something could not run. Everything it started is stopped and its
temporary directory removed, on Ctrl-C too.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = (
    os.environ.get("CHROME_PATH") or os.environ.get("SHOWCASE_CHROMIUM") or "/usr/bin/chromium"
)
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run --disable-quic"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGET_SCORE = 95
TARGET_LCP_SECONDS = 2.5
ATTEMPTS = 3
# The map tiles (MAP_TILE_URL, OpenStreetMap by default) come from another host, which this
# offline machine cannot resolve: the only requests that can fail with this error, since the
# Content-Security-Policy allows no other outside origin. Their console errors are left out of
# "Best practices", and only there; the report lists every request that failed, so nothing else
# hides behind it.
TILE_ERROR = "net::ERR_NAME_NOT_RESOLVED"
LIGHTHOUSE_CONFIG = {
    "extends": "lighthouse:default",
    "audits": [{"path": "errors-in-console", "options": {"ignoredPatterns": [TILE_ERROR]}}],
}
# Words of the demo catalogue (poc_catalogue/demo/words.py); the first one a theme holds is asked.
WORDS = ("vélo", "jardin", "école", "atelier", "quartier", "réemploi", "design")


class RunFailed(Exception):
    """Something the measurement needs could not run."""


@dataclass(frozen=True)
class Page:
    name: str
    path: str


@dataclass(frozen=True)
class Audit:
    page: Page
    scores: dict[str, int]
    lcp_seconds: float
    flagged: list[str]
    failed_requests: list[str]
    json_report: Path
    # Lighthouse's measure of this machine's speed during the run (lower: slower, or busier).
    benchmark_index: float
    warnings: list[str]
    # Audits Lighthouse could not compute (none of them weighs in a score).
    errored: list[str]
    # The performance score of every run of this page, the one above being their median.
    performance_runs: tuple[int, ...] = ()

    def verdict(self) -> str:
        missed = [name for name in CATEGORIES if self.scores[name] < TARGET_SCORE]
        if self.lcp_seconds > TARGET_LCP_SECONDS:
            missed.append("LCP")
        return "meets the target" if not missed else "misses: " + ", ".join(missed)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def require_tools() -> None:
    missing = []
    if not LIGHTHOUSE.exists():
        missing.append(f"{LIGHTHOUSE.relative_to(ROOT)} (run `make vendor`)")
    if not GUNICORN.exists():
        missing.append(".venv (run `make install`)")
    if not Path(CHROMIUM).exists():
        missing.append(f"{CHROMIUM} (apt-get install chromium)")
    if not shutil.which("nginx"):
        missing.append("nginx (apt-get install nginx)")
    if missing:
        raise RunFailed("missing: " + "; ".join(missing))


class Site:
    """The temporary production-like site: its files, its environment, its two servers."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.site_port = free_port()
        self.app_port = free_port()
        self.url = f"http://127.0.0.1:{self.site_port}"
        self.processes: list[tuple[str, subprocess.Popen]] = []
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "showcase.settings.production",
            "SECRET_KEY": secrets.token_hex(32),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CSRF_TRUSTED_ORIGINS": self.url,
            "WAGTAILADMIN_BASE_URL": self.url,
            "TRUSTED_PROXY_COUNT": "1",
            "TRUSTED_PROXIES": "127.0.0.1/32",
            "DOCUMENTS_ACCEL_REDIRECT_URL": "/protected-media/",
            "DATABASE_URL": f"sqlite:///{directory / 'db.sqlite3'}",
            "MEDIA_ROOT": str(directory / "media"),
            "STATIC_ROOT": str(directory / "static"),
            "SUBMISSION_KEPT_IMAGES_DIR": str(directory / "kept-images"),
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "DJANGO_SUPERUSER_PASSWORD": secrets.token_urlsafe(12),
            # Plain HTTP on loopback, as in the rehearsal of scripts/production.sh.
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_COOKIES": "false",
            "GUNICORN_BIND": f"127.0.0.1:{self.app_port}",
            "GUNICORN_WORKERS": "2",
            "GUNICORN_ACCESS_LOG": str(directory / "gunicorn.access.log"),
            "GUNICORN_ERROR_LOG": str(directory / "gunicorn.error.log"),
        }
        for name in ("ELASTICSEARCH_URL", "DEBUG", "STATIC_URL", "MEDIA_URL"):
            self.env.pop(name, None)

    def manage(self, *args: str) -> None:
        log = self.directory / "manage.log"
        with log.open("a") as output:
            finished = subprocess.run(
                [str(PYTHON), "manage.py", *args],
                cwd=ROOT,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                check=False,
            )
        if finished.returncode != 0:
            tail = "\n".join(log.read_text().splitlines()[-20:])
            raise RunFailed(f"manage.py {' '.join(args)} exited {finished.returncode}:\n{tail}")

    def build(self, demo_count: int) -> None:
        for name in ("media", "static", "kept-images"):
            (self.directory / name).mkdir()
        started = time.monotonic()
        print("Migrating a new SQLite database...", flush=True)
        self.manage("migrate", "--no-input", "-v0")
        print(f"Loading {demo_count} demo POCs (bootstrap_site)...", flush=True)
        self.manage("bootstrap_site", "--demo-count", str(demo_count))
        print("Collecting static files...", flush=True)
        self.manage("collectstatic", "--no-input", "-v0")
        print(f"Site built in {time.monotonic() - started:.0f} s.", flush=True)

    def nginx_config(self) -> Path:
        """deploy/nginx/poc-showcase.conf with its placeholders filled, as scripts/production.sh
        fills them, inside a main configuration of our own."""
        directory = self.directory / "nginx"
        snippets = directory / "snippets"
        for name in ("logs", "temp", "snippets"):
            (directory / name).mkdir(parents=True, exist_ok=True)
        for name in ("security-headers.conf", "proxy.conf"):
            shutil.copy(ROOT / "deploy" / "nginx" / name, snippets / name)
        site = (ROOT / "deploy" / "nginx" / "poc-showcase.conf").read_text()
        for placeholder, value in {
            "@LISTEN@": f"127.0.0.1:{self.site_port}",
            "@SERVER_NAME@": "127.0.0.1 localhost",
            "@APP_SERVERS@": f"server 127.0.0.1:{self.app_port} max_fails=0;",
            "@STATIC_ROOT@": str(self.directory / "static"),
            "@MEDIA_ROOT@": str(self.directory / "media"),
            "@SNIPPETS@": str(snippets),
            "/var/log/nginx/poc-showcase.access.log": str(directory / "logs" / "access.log"),
        }.items():
            site = site.replace(placeholder, value)
        (directory / "poc-showcase.conf").write_text(site)
        temp = directory / "temp"
        main = directory / "nginx.conf"
        main.write_text(
            ("user www-data;\n" if os.geteuid() == 0 else "")
            + f"""worker_processes 1;
pid {directory / "nginx.pid"};
error_log {directory / "logs" / "error.log"} warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    keepalive_timeout 65;
    client_body_temp_path {temp / "client_body"};
    proxy_temp_path {temp / "proxy"};
    fastcgi_temp_path {temp / "fastcgi"};
    uwsgi_temp_path {temp / "uwsgi"};
    scgi_temp_path {temp / "scgi"};
    include {directory / "poc-showcase.conf"};
}}
"""
        )
        return main

    def start(self) -> None:
        # nginx's workers run as www-data when we are root: they must read what they serve.
        for path in [self.directory, *self.directory.rglob("*")]:
            path.chmod(path.stat().st_mode | 0o555 if path.is_dir() else 0o644)
        with (self.directory / "gunicorn.out").open("w") as output:
            self._spawn(
                "gunicorn",
                [str(GUNICORN), "-c", "deploy/gunicorn.conf.py", "showcase.wsgi"],
                output,
            )
        config = self.nginx_config()
        nginx = ["nginx", "-p", str(config.parent), "-c", str(config), "-e", "stderr"]
        checked = subprocess.run([*nginx, "-t", "-q"], capture_output=True, text=True, check=False)
        if checked.returncode != 0:
            raise RunFailed(f"nginx refused its configuration: {checked.stderr.strip()}")
        with (self.directory / "nginx.out").open("w") as output:
            self._spawn("nginx", [*nginx, "-g", "daemon off;"], output)
        self.wait_until_up()

    def _spawn(self, name: str, command: list[str], output) -> None:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=output,
            stderr=subprocess.STDOUT,
            # Its own process group: Ctrl-C reaches us, and we stop it in order.
            start_new_session=True,
        )
        self.processes.append((name, process))

    def wait_until_up(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, process in self.processes:
                if process.poll() is not None:
                    raise RunFailed(f"{name} exited with status {process.returncode}")
            try:
                with urllib.request.urlopen(self.url + "/healthz/", timeout=5):
                    return
            except (OSError, urllib.error.URLError):
                time.sleep(0.5)
        raise RunFailed(f"the site did not answer on {self.url}/healthz/ within {timeout:.0f} s")

    def stop(self) -> None:
        for _name, process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for _name, process in reversed(self.processes):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def get(self, path: str) -> bytes:
        with urllib.request.urlopen(self.url + path, timeout=120) as answer:
            return answer.read()

    def get_json(self, path: str) -> dict:
        return json.loads(self.get(path))


def choose_pages(site: Site) -> list[Page]:
    """The four pages: the home page, a catalogue filtered by a theme and a word it holds, the
    first POC of that result, the submission form and the demo's first discovery trail."""
    themes = site.get_json("/api/catalogue/search/?page_size=1").get("facets", {}).get("theme", [])
    for theme in themes:
        for word in WORDS:
            query = urllib.parse.urlencode({"theme": theme["value"], "q": word})
            answer = site.get_json(f"/api/catalogue/search/?{query}")
            if answer["results"]:
                poc = urllib.parse.urlsplit(answer["results"][0]["url"]).path
                return [
                    Page("home", "/"),
                    Page("catalogue", f"/catalogue/?{query}"),
                    Page("poc", poc),
                    Page("submit", "/submit/"),
                    Page("trail", "/parcours/lille-a-pied/"),  # the demo's first trail
                ]
    raise RunFailed("the demo catalogue has no theme holding any of the words " + ", ".join(WORDS))


def run_lighthouse(site: Site, page: Page, output_dir: Path, name: str) -> Audit:
    base = output_dir / name
    config = site.directory / "lighthouse-config.json"
    config.write_text(json.dumps(LIGHTHOUSE_CONFIG))
    command = [
        str(LIGHTHOUSE),
        site.url + page.path,
        f"--config-path={config}",
        "--only-categories=" + ",".join(CATEGORIES),
        "--output=json",
        "--output=html",
        f"--output-path={base}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--quiet",
    ]
    process = subprocess.Popen(
        command,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        _, errors = process.communicate(timeout=600)
    except BaseException:
        # SIGINT first: Lighthouse's launcher then closes the Chromium it started.
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        raise
    json_report = base.with_name(f"{name}.report.json")
    if process.returncode != 0 or not json_report.exists():
        raise RunFailed(
            f"Lighthouse failed on {page.path} (exit {process.returncode}):\n{errors[-2000:]}"
        )
    report = json.loads(json_report.read_text())
    if report.get("runtimeError"):
        raise RunFailed(f"Lighthouse could not load {page.path}: {report['runtimeError']}")
    scores = {}
    for category in CATEGORIES:
        score = report["categories"][category]["score"]
        if score is None:
            raise RunFailed(f"Lighthouse gave no {category} score for {page.path}")
        scores[category] = round(score * 100)
    audits = report["audits"]
    return Audit(
        page=page,
        scores=scores,
        lcp_seconds=audits["largest-contentful-paint"]["numericValue"] / 1000,
        flagged=flagged_audits(report),
        failed_requests=[
            request["url"]
            for request in audits["network-requests"]["details"]["items"]
            if request.get("statusCode", 0) < 0 or request.get("statusCode", 0) >= 400
        ],
        json_report=json_report,
        benchmark_index=report["environment"]["benchmarkIndex"],
        warnings=report.get("runWarnings", []),
        errored=[key for key, audit in audits.items() if audit["scoreDisplayMode"] == "error"],
    )


def flagged_audits(report: dict) -> list[str]:
    """What Lighthouse found short of passing, counted in a score (weight > 0) or not."""
    flagged = []
    for name in CATEGORIES:
        for reference in report["categories"][name]["auditRefs"]:
            audit = report["audits"][reference["id"]]
            if (
                audit["score"] is not None
                and audit["scoreDisplayMode"] in ("binary", "numeric", "metricSavings")
                and audit["score"] < 0.9
            ):
                value = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
                weight = "" if reference["weight"] else ", not in the score"
                flagged.append(f"{name}{weight}: {audit['title']}{value}")
    return flagged


def run_with_retries(site: Site, page: Page, output_dir: Path, name: str) -> Audit:
    """Lighthouse now and then loses its trace on a busy machine (NO_NAVSTART, NO_FCP) and
    says to run it again: up to ATTEMPTS times, then the run has failed."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return run_lighthouse(site, page, output_dir, name)
        except RunFailed as error:
            if attempt == ATTEMPTS:
                raise
            print(f"  attempt {attempt} failed, once more: {str(error)[:300]}", flush=True)
    raise AssertionError("unreachable")


def measure(site: Site, page: Page, output_dir: Path, runs: int) -> Audit:
    """The median of `runs` runs by performance score: the one figure that moves with the
    machine's load (Lighthouse's own advice for noisy hosts)."""
    results = []
    for run in range(1, runs + 1):
        print(f"Lighthouse, {page.name} ({run}/{runs}): {site.url}{page.path}", flush=True)
        name = page.name if runs == 1 else f"{page.name}-{run}"
        results.append(run_with_retries(site, page, output_dir, name))
    results.sort(key=lambda audit: audit.scores["performance"])
    median = results[len(results) // 2]
    return replace(
        median,
        performance_runs=tuple(audit.scores["performance"] for audit in results),
    )


def table(audits: list[Audit]) -> list[str]:
    lines = [
        "| Page | Performance | Accessibility | Best practices | SEO | LCP (s) | Verdict |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for audit in audits:
        scores = " | ".join(str(audit.scores[name]) for name in CATEGORIES)
        lines.append(
            f"| {audit.page.name} (`{audit.page.path}`) | {scores} | "
            f"{audit.lcp_seconds:.2f} | {audit.verdict()} |"
        )
    return lines


def write_report(path: Path, audits: list[Audit], output_dir: Path, version: str) -> None:
    lines = [
        "# Lighthouse",
        "",
        f"`make lighthouse`: Lighthouse {version}, mobile preset (simulated throttling), on "
        f"{CHROMIUM}, each page the median of its runs by performance score; the site under "
        "`showcase.settings.production` behind nginx (deploy/nginx/), "
        "SQLite and the database search. Target: every category at least "
        f"{TARGET_SCORE}, LCP at most {TARGET_LCP_SECONDS} s.",
        "",
        *table(audits),
        "",
        "Performance of each run: "
        + "; ".join(
            f"{audit.page.name} {', '.join(map(str, audit.performance_runs))}" for audit in audits
        )
        + ". Lighthouse's benchmark index of the median runs (the machine's speed as it "
        "measured it; other work on the machine lowers it): "
        + ", ".join(f"{audit.page.name} {audit.benchmark_index:.0f}" for audit in audits)
        + ".",
        "",
        f"Full reports (JSON and HTML) in `{output_dir.name}/`.",
        "",
    ]
    failed = sorted({url for audit in audits for url in audit.failed_requests})
    lines += [
        f"**Left out of Best practices only:** the console errors `{TILE_ERROR}` of the map "
        "tiles, whose host this offline machine cannot resolve (the `errors-in-console` audit "
        "ignores them; every other audit counts those requests as they are). Requests that "
        "failed on the four pages: " + ("" if failed else "none."),
        "",
        *([f"- {url}" for url in failed] + [""] if failed else []),
    ]
    warnings = sorted({warning for audit in audits for warning in audit.warnings})
    errored = sorted({key for audit in audits for key in audit.errored})
    if warnings:
        lines += ["Lighthouse warned:", "", *[f"- {warning}" for warning in warnings], ""]
    if errored:
        lines += [
            "Audits Lighthouse could not compute on this Chromium (none weighs in a score): "
            + ", ".join(f"`{key}`" for key in errored)
            + ".",
            "",
        ]
    for audit in audits:
        lines += [f"## {audit.page.name}", ""]
        lines += [f"- {item}" for item in audit.flagged] or ["Nothing flagged."]
        lines.append("")
    path.write_text("\n".join(lines))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--demo-count", type=int, default=600)
    parser.add_argument(
        "--runs", type=int, default=3, help="Runs per page; the median (by performance) counts."
    )
    parser.add_argument("--report", type=Path, default=ROOT / "lighthouse-report.md")
    parser.add_argument("--output-dir", type=Path, default=ROOT / "lighthouse-report")
    options = parser.parse_args(argv)
    # `kill` stops us as Ctrl-C does: through the finally below.
    signal.signal(signal.SIGTERM, signal.default_int_handler)

    directory = Path(tempfile.mkdtemp(prefix="showcase-lighthouse-"))
    site = Site(directory)
    try:
        require_tools()
        version = subprocess.run(
            [str(LIGHTHOUSE), "--version"], capture_output=True, text=True, check=True
        ).stdout.strip()
        site.build(options.demo_count)
        site.start()
        pages = choose_pages(site)
        print("Warm-up: each page once (a POC's first view makes its renditions)...", flush=True)
        for page in pages:
            site.get(page.path)
        shutil.rmtree(options.output_dir, ignore_errors=True)
        options.output_dir.mkdir(parents=True)
        audits = [measure(site, page, options.output_dir, options.runs) for page in pages]
        write_report(options.report, audits, options.output_dir, version)
    except RunFailed as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    finally:
        site.stop()
        shutil.rmtree(directory, ignore_errors=True)
    met = sum(audit.verdict() == "meets the target" for audit in audits)
    print("\n".join(["", *table(audits), ""]))
    print(
        f"{met} of {len(audits)} pages meet the target (every category ≥ {TARGET_SCORE}, "
        f"LCP ≤ {TARGET_LCP_SECONDS} s); report in {options.report}, "
        f"full reports in {options.output_dir}/"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
