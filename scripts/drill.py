"""`make drill`: Elasticsearch fails under load, and the site keeps its promises.

    .venv/bin/python scripts/drill.py [--production-dir .cache/production] [--connections 16]
                                      [--node-down 20] [--cluster-down 20] [--publishes 20]

While wrk sends the `make load` mix through nginx:
1. node 2 of the three stops, then starts again: no request fails, and searches are still
   answered by Elasticsearch (the client knows every node; replicas serve its shards);
2. the whole cluster stops (its data kept): the site answers from the database, and staff
   publish POCs in the admin (logged in with their second factor) without an error;
3. the cluster comes back; one `catalogue_index reconcile`, run as cron runs it, leaves
   `catalogue_index check` at exit 0, and the new POCs are found on Elasticsearch.
Prints each step with its counts; exits 1 if any promise broke.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import ROOT, Stack, build_mix, parse_wrk, read_log, start_wrk

ES_SCRIPT = ROOT / "scripts" / "elasticsearch.sh"


@dataclass
class Probe:
    """What a visitor's search got, twice a second, phase by phase."""

    answers: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)


class Prober(threading.Thread):
    def __init__(self, stack: Stack):
        super().__init__(daemon=True)
        self.stack = stack
        self.phase = "baseline"
        self.probes: dict[str, Probe] = {}
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(0.5):
            probe = self.probes.setdefault(self.phase, Probe())
            try:
                answer = self.stack.get_json("/api/catalogue/search/?q=atelier")
                probe.answers[answer["backend"]] += 1
            except (urllib.error.URLError, OSError, ValueError, KeyError) as error:
                probe.failures.append(f"{time.strftime('%H:%M:%S')} {error}")


class Drill:
    def __init__(self, stack: Stack, options: argparse.Namespace):
        self.stack = stack
        self.options = options
        self.broken: list[str] = []
        self.started = time.monotonic()

    def say(self, message: str) -> None:
        print(f"[{time.monotonic() - self.started:6.1f} s] {message}", flush=True)

    def promise(self, kept: bool, description: str) -> None:
        self.say(("kept:   " if kept else "BROKEN: ") + description)
        if not kept:
            self.broken.append(description)

    def elasticsearch(self, *args: str) -> None:
        env = {
            **os.environ,
            "SHOWCASE_STATE_DIR": str(self.stack.directory / "services"),
            "SHOWCASE_ES_NODES": "3",
            "SHOWCASE_ES_JAVA_OPTS": os.environ.get("SHOWCASE_ES_JAVA_OPTS", "-Xms512m -Xmx512m"),
        }
        result = subprocess.run(
            [str(ES_SCRIPT), *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"scripts/elasticsearch.sh {' '.join(args)} failed:\n{result.stderr}"
            )

    def manage(self, *args: str) -> subprocess.CompletedProcess:
        return self.stack.manage(*args)

    def wait_for_backend(self, backend: str, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if self.stack.get_json("/api/catalogue/search/?q=atelier")["backend"] == backend:
                    return True
            except (urllib.error.URLError, OSError, ValueError):
                pass
            time.sleep(1)
        return False

    def wait_green(self) -> None:
        url = self.stack.environment()["ELASTICSEARCH_URL"].split(",")[0]
        with urllib.request.urlopen(
            f"{url}/_cluster/health?wait_for_status=green&timeout=180s", timeout=200
        ) as answer:
            status = json.load(answer)["status"]
        if status != "green":
            raise RuntimeError(f"the cluster stayed {status}")


class AdminSession:
    """Staff in the admin over HTTP, through nginx: password, second factor, CSRF tokens."""

    def __init__(self, stack: Stack):
        self.stack = stack
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def open(self, path: str, data: dict | list | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.stack.site_url + path, data=body)
        try:
            with self.opener.open(request, timeout=60) as answer:
                return answer.status, answer.url, answer.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.url, error.read().decode(errors="replace")

    @staticmethod
    def csrf(html: str) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if not match:
            raise RuntimeError("no CSRF token in the admin's form")
        return match.group(1)

    def log_in(self, password: str, totp_key_file: Path) -> None:
        from django_otp.oath import TOTP

        _, _, page = self.open("/admin/login/")
        status, url, page = self.open(
            "/admin/login/",
            {
                "csrfmiddlewaretoken": self.csrf(page),
                "username": "admin",
                "password": password,
                "next": "/admin/",
            },
        )
        if "/two-factor/verify/" in url:
            code = f"{TOTP(bytes.fromhex(totp_key_file.read_text().strip())).token():06d}"
            status, url, page = self.open(
                urllib.parse.urlsplit(url).path + "?" + urllib.parse.urlsplit(url).query,
                {"csrfmiddlewaretoken": self.csrf(page), "code": code},
            )
        if status != 200 or "/admin/login/" in url or "/two-factor/" in url:
            raise RuntimeError(f"could not log in to the admin (ended at {url}, status {status})")

    def publish_poc(self, add_url: str, form: list[tuple[str, str]]) -> bool:
        _, _, page = self.open(add_url)
        status, url, _ = self.open(add_url, [("csrfmiddlewaretoken", self.csrf(page)), *form])
        # Wagtail answers a published page with a redirect to the explorer; errors re-render.
        return status == 200 and "/admin/pages/add/" not in url


def poc_forms(count: int, stamp: str) -> tuple[str, list[list[tuple[str, str]]]]:
    """The admin's add-POC form, as staff fill it, for `count` new POCs."""
    import django

    django.setup()
    from wagtail.images import get_image_model
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    from poc_catalogue.models import CatalogueIndexPage, Commune, Maker, Theme

    catalogue = CatalogueIndexPage.in_source_language()
    image = get_image_model().objects.order_by("pk").first()
    theme = Theme.objects.order_by("pk").first()
    commune = Commune.objects.get(name="Roubaix")
    maker = Maker.objects.order_by("pk").first()
    add_url = f"/admin/pages/add/poc_catalogue/pocpage/{catalogue.pk}/"
    forms = []
    for number in range(1, count + 1):
        data = nested_form_data(
            {
                "title": f"Exercice de panne {stamp} n° {number}",
                "slug": f"exercice-de-panne-{stamp}-{number}",
                "summary": "Publié pendant que le moteur de recherche était arrêté.",
                "body": streamfield([]),
                "hero_image": image.pk,
                "hero_alt_text": "Photographie d'un exercice",
                "hero_credit": "Métropole européenne de Lille",
                "gallery_images": inline_formset([]),
                "poc_makers": inline_formset([{"maker": maker.pk, "role": "holder"}], min=1),
                "stage": "experiment",
                "year": "2020",
                "tags": "exercice",
                "commune": commune.pk,
                "action-publish": "publish",
            }
        )
        forms.append(
            [*((key, str(value)) for key, value in data.items()), ("themes", str(theme.pk))]
        )
    return add_url, forms


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--production-dir", type=Path, default=ROOT / ".cache" / "production")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--node-down", type=float, default=20, help="seconds node 2 stays down")
    parser.add_argument(
        "--cluster-down", type=float, default=20, help="seconds the cluster stays down at least"
    )
    parser.add_argument("--publishes", type=int, default=20)
    options = parser.parse_args(argv)

    stack = Stack.find(options.production_dir)
    os.environ.update(stack.environment())
    sys.path.insert(0, str(ROOT))
    stamp = time.strftime("%H%M%S")
    add_url, forms = poc_forms(options.publishes, stamp)
    drill = Drill(stack, options)
    mix = build_mix(stack)
    offset = stack.access_log.stat().st_size
    # Every page rendered: each request goes through the search, and so through the outage.
    wrk, script = start_wrk(
        stack, mix, duration=3600, connections=options.connections, threads=2, rendered=True
    )
    prober = Prober(stack)
    prober.start()
    drill.say(
        f"Load: wrk, {options.connections} connections, the `make load` mix, {stack.site_url}"
    )
    try:
        time.sleep(5)
        prober.phase = "one node down"
        drill.say("Stopping Elasticsearch node 2...")
        drill.elasticsearch("stop-node", "2")
        time.sleep(options.node_down)
        drill.say("Starting node 2 again...")
        drill.elasticsearch("start-node", "2")
        drill.wait_green()
        drill.say("Cluster green again")
        prober.phase = "cluster down"
        node_probe = prober.probes.get("one node down", Probe())
        drill.promise(
            not node_probe.failures and set(node_probe.answers) == {"elasticsearch"},
            f"one node down: {sum(node_probe.answers.values())} searches, all answered by "
            f"Elasticsearch ({dict(node_probe.answers)}), {len(node_probe.failures)} failed",
        )

        drill.say("Stopping the whole cluster (its data kept)...")
        down_since = time.monotonic()
        drill.elasticsearch("stop", "--keep-data")
        drill.promise(drill.wait_for_backend("database", 30), "the site answers from the database")
        admin = AdminSession(stack)
        admin.log_in(
            (stack.directory / "admin-password").read_text().strip(),
            stack.directory / "admin-totp.key",
        )
        published = sum(admin.publish_poc(add_url, form) for form in forms)
        drill.promise(
            published == len(forms), f"{published} of {len(forms)} publishes in the admin succeeded"
        )
        time.sleep(max(0.0, options.cluster_down - (time.monotonic() - down_since)))
        prober.phase = "cluster back"
        cluster_probe = prober.probes.get("cluster down", Probe())
        drill.say("Starting the cluster again...")
        drill.elasticsearch("start")
        drill.wait_green()
        reconcile = drill.manage("catalogue_index", "reconcile")
        drill.promise(reconcile.returncode == 0, "catalogue_index reconcile exits 0")
        check = drill.manage("catalogue_index", "check")
        drill.promise(check.returncode == 0, "catalogue_index check exits 0 after one reconcile")
        drill.promise(
            drill.wait_for_backend("elasticsearch", 90),
            "searches are answered by Elasticsearch again",
        )
        query = urllib.parse.urlencode({"q": f"exercice de panne {stamp}"})
        for _ in range(60):
            found = stack.get_json(f"/api/catalogue/search/?{query}")
            if found["backend"] == "elasticsearch" and found["total"] >= published:
                break
            time.sleep(1)
        drill.promise(
            found["backend"] == "elasticsearch" and found["total"] >= published,
            f"the {published} POCs published during the outage are found on Elasticsearch "
            f"({found['total']} found)",
        )
    except Exception as error:  # a step that could not run is a broken promise too
        drill.promise(False, f"the drill could not go on: {error}")
        cluster_probe = prober.probes.get("cluster down", Probe())
    finally:
        prober.stopped.set()
        wrk.terminate()
        output, _ = wrk.communicate()
        script.unlink(missing_ok=True)

    time.sleep(0.5)
    figures = read_log(stack.access_log, offset)
    requests = sum(len(route.durations) for route in figures.values())
    server_errors = sum(route.errors for route in figures.values())
    outcome = parse_wrk(output)
    drill.promise(
        server_errors == 0 and outcome.socket_errors == 0,
        f"{requests} requests under load during the drill: {server_errors} server error(s), "
        f"{outcome.socket_errors} socket error(s)",
    )
    searches = sum(sum(probe.answers.values()) for probe in prober.probes.values())
    failed = sum(len(probe.failures) for probe in prober.probes.values())
    drill.promise(failed == 0, f"{searches} probing searches, {failed} failed")
    print()
    print("Phase            Searches  Elasticsearch  Database  Failed")
    for phase, probe in prober.probes.items():
        print(
            f"{phase:<16} {sum(probe.answers.values()):>8}  {probe.answers['elasticsearch']:>13}  "
            f"{probe.answers['database']:>8}  {len(probe.failures):>6}"
        )
    print(
        f"Cluster down: {sum(cluster_probe.answers.values())} searches answered while it was away"
    )
    if drill.broken:
        print(f"\n{len(drill.broken)} promise(s) broken:", *drill.broken, sep="\n  ")
        return 1
    print("\nEvery promise kept.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
