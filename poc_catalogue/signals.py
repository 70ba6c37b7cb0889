"""Signals other apps can listen to."""

from django.dispatch import Signal

# Sent after POC pages were created live in bulk (the demo loader), which bypasses Wagtail's
# `page_published`; receivers get `page_ids`, a list of the new POCPage ids, e.g. to index them.
pocs_bulk_published = Signal()
