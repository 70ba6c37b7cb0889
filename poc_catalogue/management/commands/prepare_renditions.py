"""Render every image the live POCs show: `manage.py prepare_renditions [--check]`.

Publishing queues this per POC on the task worker; run it in the foreground after an import,
after restoring a backup made without its renditions, or after changing the picture sizes.
Renditions that exist are kept, so running it again costs only the check.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from poc_catalogue.progress import progress_bar
from poc_catalogue.renditions import live_pocs, missing, prepare


class Command(BaseCommand):
    help = (
        "Make the image renditions every live POC shows (hero, gallery, body, card), so that no "
        "visitor waits for them. Existing renditions are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Change nothing: count the renditions still missing, and fail if there are any.",
        )

    def handle(self, *args, check: bool, **options):
        started = time.monotonic()
        total = live_pocs().count()
        if check:
            lacking = {}
            with progress_bar("POCs checked") as progress:
                for done, poc in enumerate(live_pocs().iterator(chunk_size=200), start=1):
                    if count := missing(poc):
                        lacking[poc.pk] = count
                    progress(done, total)
            if lacking:
                raise CommandError(
                    f"{sum(lacking.values())} renditions are missing for {len(lacking)} of "
                    f"{total} live POCs; manage.py prepare_renditions makes them."
                )
            self.stdout.write(f"Every rendition of the {total} live POCs is made.")
            return
        images = 0
        with progress_bar("POCs") as progress:
            for done, poc in enumerate(live_pocs().iterator(chunk_size=200), start=1):
                images += prepare(poc)
                progress(done, total)
        self.stdout.write(
            self.style.SUCCESS(
                f"Renditions ready for {total} live POCs ({images} images) "
                f"in {time.monotonic() - started:.1f} s."
            )
        )
