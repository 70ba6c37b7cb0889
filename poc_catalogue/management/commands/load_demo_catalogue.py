"""Load the demo catalogue: `manage.py load_demo_catalogue --count 600 --seed 2020`."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from poc_catalogue.demo import load_demo_catalogue


class ProgressBar:
    """A one-line bar on stderr, redrawn in place on a terminal, every tenth otherwise."""

    width = 30

    def __init__(self, stream=sys.stderr, label: str = "POCs") -> None:
        self.stream = stream
        self.label = label
        self.interactive = stream.isatty()
        self.last_tenth = -1

    def __call__(self, done: int, total: int) -> None:
        share = done / total if total else 1.0
        tenth = int(share * 10)
        if not self.interactive and tenth == self.last_tenth and done != total:
            return
        self.last_tenth = tenth
        filled = int(share * self.width)
        bar = "#" * filled + "-" * (self.width - filled)
        line = f"[{bar}] {done}/{total} {self.label} ({share:4.0%})"
        end = "\n" if done == total or not self.interactive else ""
        self.stream.write(("\r" if self.interactive else "") + line + end)
        self.stream.flush()


class Command(BaseCommand):
    help = (
        "Build a realistic demo catalogue (makers, tags, generated images, POC pages) from a "
        "seed. Running it again adds only what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=600, help="How many POCs (default 600).")
        parser.add_argument("--seed", type=int, default=2020, help="Same seed, same catalogue.")

    def handle(self, *args, count: int, seed: int, **options):
        if count < 0:
            raise CommandError("--count must be zero or more.")
        started = time.monotonic()
        report = load_demo_catalogue(count=count, seed=seed, progress=ProgressBar(self.stderr))
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo catalogue (seed {seed}): {report.pocs_created} POCs created, "
                f"{report.pocs_existing} already there, {report.makers_created} makers, "
                f"{report.tags_created} tags and {report.images_created} images created, "
                f"{report.featured} featured on the home page, in {elapsed:.1f} s."
            )
        )
