"""Panels of the staff POC form that Wagtail's own do not quite make."""

from __future__ import annotations

from django import forms
from django.apps import apps
from django.conf import settings
from wagtail.admin.panels import InlinePanel, MultiFieldPanel

from .geography import METROPOLE_CENTRE


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


class PositionPanel(MultiFieldPanel):
    """Latitude and longitude, with a map to place the POC and its commune's centre shown.

    Staff click the map or drag the marker (`static/js/admin-position-map.js` writes both
    fields), or clear the position; without one the POC stands at its commune's centre
    (`poc_location`), which the map shows as a ghost marker. Without JavaScript the fields
    and the sentence saying so remain.
    """

    class BoundPanel(MultiFieldPanel.BoundPanel):
        template_name = "poc_catalogue/admin/position_panel.html"

        def get_context_data(self, parent_context=None) -> dict:
            context = super().get_context_data(parent_context)
            communes = apps.get_model("poc_catalogue", "Commune")  # the models import panels
            context.update(
                commune_centres={
                    str(pk): [latitude, longitude]
                    for pk, latitude, longitude in communes.objects.values_list(
                        "pk", "latitude", "longitude"
                    )
                },
                metropole_centre=list(METROPOLE_CENTRE),
                has_position=bool(self.form["latitude"].value())
                and bool(self.form["longitude"].value()),
                map_tile_url=settings.MAP_TILE_URL,
                map_tile_attribution=settings.MAP_TILE_ATTRIBUTION,
            )
            return context

        @property
        def media(self) -> forms.Media:
            return super().media + forms.Media(
                css={"all": ["vendor/leaflet/leaflet.css", "css/admin-position-map.css"]},
                js=["vendor/leaflet/leaflet.js", "js/admin-position-map.js"],
            )
