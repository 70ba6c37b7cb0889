"""First-run set-up for `make run`: an admin account and demo content on an empty site."""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand

from poc_catalogue.models import POCPage
from poc_catalogue.submissions.moderators import review_groups


class Command(BaseCommand):
    help = "Create an admin account (password shown once) and load demo content on an empty site."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument(
            "--email",
            default="admin@localhost",
            help="The admin's address: new proposals are announced to it.",
        )
        parser.add_argument("--demo-count", type=int, default=600)
        parser.add_argument("--seed", type=int, default=2020)

    def handle(self, *args, username: str, email: str, demo_count: int, seed: int, **options):
        User = get_user_model()
        if not User.objects.filter(is_superuser=True).exists():
            # Like createsuperuser: a password chosen by whoever runs this, never printed.
            chosen = os.environ.get("DJANGO_SUPERUSER_PASSWORD", "")
            password = chosen or secrets.token_urlsafe(12)
            admin = User.objects.create_superuser(username=username, email=email, password=password)
            # A moderator, so the alerts about new proposals reach someone from the first day.
            admin.groups.add(*review_groups())
            shown = "the one in DJANGO_SUPERUSER_PASSWORD" if chosen else repr(password)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Admin account created: username {username!r}, password {shown}. "
                    f"It is shown only this once. New proposals are announced to {email}."
                )
            )
        else:
            self.stdout.write("An admin account already exists; its password is unchanged.")

        if POCPage.objects.exists():
            self.stdout.write("The catalogue already has content; no demo content loaded.")
        elif "load_demo_catalogue" in get_commands():
            call_command("load_demo_catalogue", count=demo_count, seed=seed)
