"""Erase what submissions must not keep: contact details, rejected drafts and their images,
images kept from refused attempts."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from poc_catalogue.submissions.kept_images import delete_expired_kept_images
from poc_catalogue.submissions.ratelimit import forget_old_attempts
from poc_catalogue.submissions.retention import (
    contact_retention_due,
    contacts_due,
    delete_rejected_drafts,
    rejected_drafts_due,
)


class Command(BaseCommand):
    help = (
        "Erase the name, email and phone of rejected submissions and of submissions older "
        "than SUBMISSION_CONTACT_RETENTION_DAYS, delete the drafts and images of proposals "
        "rejected before that, delete the images kept for a day from refused attempts, and "
        "forget old rate-limit records. Run it daily."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Override SUBMISSION_CONTACT_RETENTION_DAYS for this run.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be purged, change nothing."
        )

    def handle(self, *args, days: int | None, dry_run: bool, **options) -> None:
        days = settings.SUBMISSION_CONTACT_RETENTION_DAYS if days is None else days
        cutoff = timezone.now() - timedelta(days=days)

        due = contacts_due(cutoff)
        total = due.count()
        self.stdout.write(
            f"{total} submission(s) with contact details to purge "
            f"(rejected, or submitted before {cutoff:%Y-%m-%d})."
        )
        for position, submission in enumerate(due.iterator(), start=1):
            if not dry_run:
                submission.purge_contact_details()
            if position % 100 == 0 or position == total:
                self.stdout.write(f"  {position}/{total}")

        drafts = rejected_drafts_due(cutoff).count()
        images = 0
        if not dry_run:
            removals = list(delete_rejected_drafts(cutoff))
            drafts = len(removals)
            images = sum(removal.images_deleted for removal in removals)
        attempts = 0 if dry_run else forget_old_attempts()
        kept = 0 if dry_run else delete_expired_kept_images()
        elsewhere = [
            f" {line}"
            for _receiver, line in contact_retention_due.send(
                sender=self.__class__, cutoff=cutoff, dry_run=dry_run
            )
        ]

        verb = "Would purge" if dry_run else "Purged"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} the contact details of {total} submission(s); "
                f"{'would delete' if dry_run else 'deleted'} {drafts} rejected draft(s) "
                f"and {images} of their image(s); forgot {attempts} old rate-limit record(s); "
                f"deleted {kept} file(s) kept from refused attempts." + "".join(elsewhere)
            )
        )
