"""`make load`: a fixed mix of visitors' requests against the running production stack.

    .venv/bin/python scripts/load.py [--duration 60] [--connections 32] [--threads 2]
                                     [--route ROUTE] [--rendered] [--cold]
                                     [--production-dir .cache/production] [--report load-report.md]

The mix is read from the live site through its API (POC addresses, facet values), so it is the
same for a given catalogue: catalogue pages with filters, POC pages, the search API and
autocomplete. wrk (Debian package) sends it; nginx's access log (format `poc_showcase_timing`,
with `$request_time`) gives the figures per route, measured at the front door. Exits 1 when any
request failed (a 5xx, a socket error or a timeout).

`--route "catalogue page"` sends only that route's requests (the throughput of one page).
`--rendered` sends a cookie with every request, as a visitor with a session does, so no page
comes from the published-version store (`PublishedResponseMiddleware`): every request is
rendered, as when each visitor asks for a search nobody asked before.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import shlex
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MANAGE = ROOT / "deploy" / "bin" / "manage"
ROUTES = ("catalogue page", "POC page", "search API", "autocomplete", "other")
LOG_LINE = re.compile(
    r'^(?P<client>\S+) \[(?P<time>[^\]]+)\] "(?P<method>\S+) (?P<path>\S+)" '
    r"(?P<status>\d{3}) (?P<bytes>\d+) (?P<seconds>[\d.]+)"
)


@dataclass
class Stack:
    directory: Path
    site_url: str
    access_log: Path
    env_file: Path

    @classmethod
    def find(cls, directory: Path) -> Stack:
        state_file = directory / "production.state"
        if not state_file.exists():
            sys.exit(f"No production stack in {directory}: start one with `make production`.")
        state = {}
        for line in state_file.read_text().splitlines():
            key, _, value = line.partition("=")
            state[key] = " ".join(shlex.split(value))
        return cls(
            directory=directory,
            site_url=f"http://127.0.0.1:{state['SITE_PORT']}",
            access_log=Path(state["DATA_DIR"]) / "nginx" / "logs" / "access.log",
            env_file=directory / "showcase.env",
        )

    def get_json(self, path: str) -> dict:
        with urllib.request.urlopen(self.site_url + path, timeout=30) as answer:
            return json.load(answer)

    def environment(self) -> dict[str, str]:
        """The app's environment file (what systemd's EnvironmentFile= reads)."""
        values = {}
        for line in self.env_file.read_text().splitlines():
            if line and not line.startswith("#") and "=" in line:
                key, _, value = line.partition("=")
                values[key] = value.strip('"')
        return values

    def manage(self, *args: str, capture: bool = True) -> subprocess.CompletedProcess:
        """manage.py as operators and cron run it on the stack (deploy/bin/manage)."""
        return subprocess.run(
            [str(MANAGE), *args],
            env={"PATH": "/usr/bin:/bin", "SHOWCASE_ENV_FILE": str(self.env_file)},
            capture_output=capture,
            text=True,
            timeout=3600,
            check=False,
        )


def route_of(path: str) -> str:
    if path.startswith("/api/catalogue/autocomplete"):
        return "autocomplete"
    if path.startswith("/api/catalogue/search"):
        return "search API"
    if path.startswith("/catalogue/") and (
        path == "/catalogue/" or path.startswith("/catalogue/?")
    ):
        return "catalogue page"
    if path.startswith("/catalogue/"):
        return "POC page"
    return "other"


def facet_values(answer: dict, name: str) -> list[str]:
    return [str(value["value"]) for value in answer.get("facets", {}).get(name, [])]


def build_mix(stack: Stack) -> list[str]:
    """One hundred requests in a fixed order: 40 catalogue pages, 30 POC pages, 20 searches
    through the API and 10 autocompletions, built from what the catalogue holds."""
    answer = stack.get_json("/api/catalogue/search/?page_size=50")
    poc_paths = [urllib.parse.urlsplit(hit["url"]).path for hit in answer["results"]]
    themes = facet_values(answer, "theme") or [""]
    communes = facet_values(answer, "commune") or [""]
    stages = facet_values(answer, "stage") or [""]
    years = facet_values(answer, "year") or [""]
    words = ["vélo", "jardin", "école", "atelier", "quartier", "design", "réemploi", "santé"]
    if not poc_paths:
        sys.exit("The catalogue is empty: nothing to load-test.")

    def query(**parameters: str) -> str:
        return urllib.parse.urlencode({key: value for key, value in parameters.items() if value})

    catalogue = []
    for index in range(40):
        theme, commune = themes[index % len(themes)], communes[index % len(communes)]
        stage, year = stages[index % len(stages)], years[index % len(years)]
        word = words[index % len(words)]
        catalogue.append(
            [
                f"/catalogue/?{query(theme=theme)}",
                f"/catalogue/?{query(theme=theme, stage=stage)}",
                f"/catalogue/?{query(commune=commune, year=year)}",
                f"/catalogue/?{query(q=word, theme=theme)}",
                f"/catalogue/?{query(q=word)}",
                f"/catalogue/?{query(theme=theme, page='2')}",
                "/catalogue/",
                f"/catalogue/?{query(stage=stage, commune=commune, sort='year')}",
            ][index % 8]
        )
    pocs = [poc_paths[index % len(poc_paths)] for index in range(30)]
    api = [
        f"/api/catalogue/search/?{query(q=words[i % len(words)], theme=themes[i % len(themes)])}"
        if i % 2
        else f"/api/catalogue/search/?{query(commune=communes[i % len(communes)])}"
        for i in range(20)
    ]
    autocomplete = [
        f"/api/catalogue/autocomplete/?{query(q=words[i % len(words)][:3])}" for i in range(10)
    ]
    # Interleaved, so every stretch of the run has every kind of request.
    mix, sources = [], [catalogue, pocs, api, autocomplete]
    while any(sources):
        for source in sources:
            for _ in range(2 if source is catalogue else 1):
                if source:
                    mix.append(source.pop(0))
    return mix


def warm_up(stack: Stack, paths: list[str]) -> list[str]:
    """Each distinct request of the mix once, in turn; the ones that failed.

    A POC's first view makes its image renditions unless the worker made them when it was
    published; the demo's bulk load does not queue them. Without this pass the figures would
    measure the encoding of a few hundred AVIF and WebP files, not the site.
    """
    distinct = list(dict.fromkeys(paths))
    print(
        f"Warm-up: each of the {len(distinct)} distinct requests once (--cold skips it)...",
        flush=True,
    )
    started, failures = time.monotonic(), []
    for path in distinct:
        try:
            with urllib.request.urlopen(stack.site_url + path, timeout=120) as answer:
                answer.read()
        except (OSError, urllib.error.URLError) as error:
            failures.append(path)
            print(f"  {path}: {error}", file=sys.stderr, flush=True)
    print(
        f"Warm-up done in {time.monotonic() - started:.1f} s, {len(failures)} failed.",
        flush=True,
    )
    return failures


def wrk_script(paths: list[str], rendered: bool = False) -> str:
    quoted = ",\n".join(json.dumps(path) for path in paths)
    cookie = '\n  wrk.headers["Cookie"] = "load-rendered=1"' if rendered else ""
    return f"""-- Written by scripts/load.py: each thread cycles through the same fixed mix.
local paths = {{
{quoted}
}}
local threads = 0
function setup(thread)
  thread:set("offset", threads * 37)
  threads = threads + 1
end
function init(args)
  counter = offset or 0
  wrk.headers["Accept-Encoding"] = "gzip"
  wrk.headers["Accept-Language"] = "fr"{cookie}
end
function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
"""


@dataclass
class RouteFigures:
    durations: list[float] = field(default_factory=list)
    errors: int = 0
    client_errors: int = 0

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.durations)
        if not ordered:
            return 0.0
        return ordered[min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1)] * 1000


def read_log(log: Path, offset: int) -> dict[str, RouteFigures]:
    figures: dict[str, RouteFigures] = defaultdict(RouteFigures)
    with log.open("rb") as file:
        file.seek(offset)
        for raw in file:
            match = LOG_LINE.match(raw.decode("utf-8", "replace"))
            if not match:
                continue
            route = figures[route_of(match["path"])]
            status = int(match["status"])
            route.durations.append(float(match["seconds"]))
            if status >= 500:
                route.errors += 1
            elif status >= 400 and status != 499:
                route.client_errors += 1
    return figures


@dataclass
class WrkOutcome:
    requests: int = 0
    socket_errors: int = 0
    non_2xx: int = 0
    output: str = ""


def parse_wrk(output: str) -> WrkOutcome:
    outcome = WrkOutcome(output=output)
    if match := re.search(r"(\d+) requests in", output):
        outcome.requests = int(match.group(1))
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        outcome.socket_errors = sum(int(number) for number in match.groups())
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        outcome.non_2xx = int(match.group(1))
    return outcome


def start_wrk(
    stack: Stack,
    paths: list[str],
    *,
    duration: float,
    connections: int,
    threads: int,
    rendered: bool = False,
):
    script = Path(tempfile.mkstemp(prefix="showcase-load-", suffix=".lua")[1])
    script.write_text(wrk_script(paths, rendered))
    command = [
        "wrk",
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={int(duration)}s",
        "--timeout=10s",
        f"--script={script}",
        stack.site_url + "/",
    ]
    try:
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
    except FileNotFoundError:
        sys.exit(
            "wrk is not installed: apt-get install wrk (scripts/os-packages.sh does it as root)."
        )
    return process, script


def count_lines(log: Path, offset: int) -> int:
    with log.open("rb") as file:
        file.seek(offset)
        return sum(1 for _ in file)


def show_progress(log: Path, offset: int, duration: float, stop: threading.Event) -> None:
    started = time.monotonic()
    while not stop.wait(10):
        elapsed = time.monotonic() - started
        done = count_lines(log, offset)
        print(
            f"  {elapsed:4.0f} s / {duration:.0f} s: {done} requests, {done / elapsed:.0f}/s",
            flush=True,
        )


def row(name: str, data: RouteFigures, duration: float, errors: int) -> str:
    quantiles = " | ".join(f"{data.percentile(q):.1f}" for q in (0.50, 0.95, 0.99))
    count = len(data.durations)
    return f"| {name} | {count} | {count / duration:.1f} | {quantiles} | {errors} |"


def table(figures: dict[str, RouteFigures], duration: float, socket_errors: int) -> list[str]:
    lines = [
        "| Route | Requests | Requests/s | p50 (ms) | p95 (ms) | p99 (ms) | Errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    total = RouteFigures()
    for route in ROUTES:
        if route not in figures:
            continue
        data = figures[route]
        total.durations += data.durations
        total.errors += data.errors + data.client_errors
        lines.append(row(route, data, duration, data.errors + data.client_errors))
    lines.append(row("**all**", total, duration, total.errors + socket_errors))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--production-dir", type=Path, default=ROOT / ".cache" / "production")
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--report", type=Path, default=ROOT / "load-report.md")
    parser.add_argument(
        "--route", choices=ROUTES, help="Send only this route's requests of the mix."
    )
    parser.add_argument(
        "--rendered",
        action="store_true",
        help="Send a cookie with every request, so every page is rendered, none stored.",
    )
    parser.add_argument(
        "--cold",
        action="store_true",
        help="Measure without the warm-up pass: first views make their image renditions.",
    )
    options = parser.parse_args(argv)

    stack = Stack.find(options.production_dir)
    paths = build_mix(stack)
    if options.route:
        paths = [path for path in paths if route_of(path) == options.route]
    warm_up_failures = [] if options.cold else warm_up(stack, paths)
    print(
        f"Load test of {stack.site_url}: a fixed mix of {len(paths)} requests "
        f"({options.route or 'catalogue pages with filters, POC pages, search API, autocomplete'})"
        f"{', every page rendered' if options.rendered else ''}, {options.connections} "
        f"connections, {options.threads} threads, {options.duration:.0f} s",
        flush=True,
    )
    offset = stack.access_log.stat().st_size
    process, script = start_wrk(
        stack,
        paths,
        duration=options.duration,
        connections=options.connections,
        threads=options.threads,
        rendered=options.rendered,
    )
    stop = threading.Event()
    progress = threading.Thread(
        target=show_progress, args=(stack.access_log, offset, options.duration, stop), daemon=True
    )
    progress.start()
    output, _ = process.communicate()
    stop.set()
    script.unlink(missing_ok=True)
    outcome = parse_wrk(output)
    if process.returncode != 0:
        print(output, file=sys.stderr)
        return 2
    time.sleep(0.5)  # nginx writes the last lines as their responses finish
    figures = read_log(stack.access_log, offset)
    lines = table(figures, options.duration, outcome.socket_errors)
    errors = (
        sum(data.errors + data.client_errors for data in figures.values())
        + outcome.socket_errors
        + len(warm_up_failures)
    )
    summary = (
        f"{outcome.requests} requests in {options.duration:.0f} s "
        f"({outcome.requests / options.duration:.1f}/s), {errors} error(s) "
        f"({outcome.socket_errors} socket error(s) or timeout(s))"
    )
    print("\n".join(["", *lines, "", summary]))
    command = " ".join(["scripts/load.py", *(argv if argv is not None else sys.argv[1:])])
    options.report.write_text(
        "\n".join(
            [
                "# Load test",
                "",
                f"`{command}` against {stack.site_url}: {options.connections} connections, "
                f"{options.duration:.0f} s. Times from nginx's `$request_time`.",
                "",
                *lines,
                "",
                summary,
                "",
            ]
        )
    )
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
