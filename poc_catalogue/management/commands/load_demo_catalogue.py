"""Load the demo catalogue: `manage.py load_demo_catalogue --count 600 --seed 2020`."""

import time

from django.core.management.base import BaseCommand, CommandError

from poc_catalogue.demo import load_demo_catalogue
from poc_catalogue.progress import progress_bar


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
        with progress_bar("POCs") as progress:
            report = load_demo_catalogue(count=count, seed=seed, progress=progress)
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo catalogue (seed {seed}): {report.pocs_created} POCs created, "
                f"{report.pocs_existing} already there, "
                f"{report.translations_created} English translations, "
                f"{report.makers_created} makers, "
                f"{report.tags_created} tags and {report.images_created} images created, "
                f"{report.featured} featured on the home page, "
                f"{report.trails_created} discovery trails, in {elapsed:.1f} s."
            )
        )
        if report.pocs_created:
            self.stdout.write(
                "Their image renditions are made on each POC's first view; "
                "manage.py prepare_renditions makes them all now."
            )
