"""Panels of the staff POC form that Wagtail's own do not quite make."""

from __future__ import annotations

from wagtail.admin.panels import InlinePanel


class NamedInlinePanel(InlinePanel):
    """An inline panel whose add button is a sentence of ours ("Add a maker").

    Wagtail's button reads "Add <label>", which French renders "Ajouter un(e) <label>".
    """

    def __init__(self, *args, add_label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.add_label = add_label

    def clone_kwargs(self) -> dict:
        return {**super().clone_kwargs(), "add_label": self.add_label}

    class BoundPanel(InlinePanel.BoundPanel):
        template_name = "poc_catalogue/admin/named_inline_panel.html"
