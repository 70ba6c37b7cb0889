"""Staff admin for the search: synonyms, beside Wagtail's "Promoted search results"."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import SynonymSet


class SynonymSetIndexView(SnippetViewSet.index_view_class):
    add_item_label = _("Add synonyms")


class SynonymSetViewSet(SnippetViewSet):
    model = SynonymSet
    index_view_class = SynonymSetIndexView
    icon = "search"
    menu_label = _("Synonyms")
    menu_name = "synonyms"
    add_to_settings_menu = True
    menu_order = 901
    list_display = ["words", "updated_at"]
    ordering = ["words"]


register_snippet(SynonymSetViewSet)
