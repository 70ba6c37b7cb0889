"""Slugs in ASCII, and free slugs numbered the way Wagtail numbers page slugs.

Every slug is ASCII (`WAGTAIL_ALLOW_UNICODE_SLUGS = False` for pages typed in the admin): letters
lose their accents and ligatures are spelt out, as the admin's slug field does (`Barœul` gives
`baroeul`), so a title gives the same slug whichever way its page was made.

Pages take theirs from `wagtail.coreutils.find_available_slug` (siblings only). Makers, and the
demo's pages while they are still plans, are not pages among siblings yet: they ask `free_slug`
with the slugs already taken, and get the same numbering (`base`, `base-1`, `base-2`...).
"""

from __future__ import annotations

from collections.abc import Container

from anyascii import anyascii
from django.utils.text import slugify


def ascii_slug(text: str) -> str:
    """`text` as an ASCII slug: `Jardins à Marcq-en-Barœul` is `jardins-a-marcq-en-baroeul`."""
    return slugify(anyascii(text))


def slug_base(name: str, max_length: int, fallback: str) -> str:
    """`name` as a slug cut to `max_length`, or `fallback` when nothing of it survives."""
    return ascii_slug(name)[:max_length].strip("-") or fallback


def free_slug(base: str, taken: Container[str]) -> str:
    """`base` when free, else the first of `base-1`, `base-2`... not in `taken`."""
    slug, number = base, 1
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug
