"""Free slugs, numbered the way Wagtail numbers page slugs.

Pages take theirs from `wagtail.coreutils.find_available_slug` (siblings only). Makers, and the
demo's pages while they are still plans, are not pages among siblings yet: they ask `free_slug`
with the slugs already taken, and get the same numbering (`base`, `base-1`, `base-2`...).
"""

from __future__ import annotations

from collections.abc import Container

from django.utils.text import slugify


def slug_base(name: str, max_length: int, fallback: str) -> str:
    """`name` as a slug cut to `max_length`, or `fallback` when nothing of it survives."""
    return slugify(name)[:max_length].strip("-") or fallback


def free_slug(base: str, taken: Container[str]) -> str:
    """`base` when free, else the first of `base-1`, `base-2`... not in `taken`."""
    slug, number = base, 1
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug
