"""The comments section of a POC page: approved comments and the way to the form."""

from __future__ import annotations

from django import template

from poc_catalogue.models import POCPage

from ..models import Comment

register = template.Library()


@register.inclusion_tag("comments/includes/poc_comments.html")
def poc_comments(page: POCPage) -> dict:
    """A POC is its French page: its translations show the comments made on it."""
    poc = (
        POCPage.objects.published()
        .filter(translation_key=page.translation_key)
        .only("pk", "comments_enabled")
        .first()
    )
    if poc is None:  # a draft's preview, or a page not public
        return {"poc": None, "comments": []}
    comments = list(Comment.objects.published().filter(page=poc).order_by("created_at"))
    return {"poc": poc, "comments": comments}
