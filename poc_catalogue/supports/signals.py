"""Sent when a POC's support count changed, so the search index can follow in batches
(`search.support_counts`) without the catalogue knowing about search."""

from django.dispatch import Signal

# Sent with `page_id` (the French page's id), once the count is saved.
support_count_changed = Signal()
