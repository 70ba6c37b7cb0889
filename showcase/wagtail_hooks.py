"""The admin's two-factor pages, and where staff find them (the account menu)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from showcase import two_factor_views


@hooks.register("register_admin_urls")
def two_factor_urls():
    return [
        path("two-factor/verify/", two_factor_views.verify, name="two_factor_verify"),
        path("two-factor/enrol/", two_factor_views.enrol, name="two_factor_enrol"),
        path(
            "two-factor/backup-codes/",
            two_factor_views.backup_codes,
            name="two_factor_backup_codes",
        ),
        path("two-factor/turn-off/", two_factor_views.turn_off, name="two_factor_turn_off"),
    ]


@hooks.register("register_account_menu_item")
def two_factor_menu_item(request):
    return {
        "url": reverse("two_factor_enrol"),
        "label": _("Two-factor authentication"),
        "help_text": _("Protect your account with a code from an authenticator app."),
    }
