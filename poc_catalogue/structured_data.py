"""What POCs, makers and lists of POCs are in schema.org's terms, for search engines.

Each function returns the JSON-LD object a page embeds (`{{ data|json_ld }}` in templates),
built from what the page already shows: nothing here reads the database but through the
objects it is given. Addresses are absolute (`request.build_absolute_uri`), as search
engines read them outside the page.

A POC is a `CreativeWork` (schema.org has no "prototype" or "project" type that search
engines read): its place with its coordinates (`contentLocation`), its project holders and
designers as `creator`, its partners as `contributor`, its themes as `keywords`, its year as
`dateCreated`. A maker is a `Person` (a designer) or an `Organization` (its subtypes for
schools and public bodies). The catalogue is an `ItemList` of the POCs on the page, in order;
the home page names the `WebSite`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpRequest

from .images import SHARE_IMAGE, rendition_url
from .models import Maker, MakerKind, MakerRole, POCCard, POCMaker, POCPage, Theme
from .translations import page_language

SCHEMA_ORG = "https://schema.org"
COUNTRY = "FR"

# Which schema.org type a maker is, by its kind: Organization unless said otherwise.
MAKER_TYPES = {
    MakerKind.DESIGNER: "Person",
    MakerKind.SCHOOL: "EducationalOrganization",
    MakerKind.PUBLIC_BODY: "GovernmentOrganization",
}
# Partners took part in a POC; project holders and designers made it.
CONTRIBUTING_ROLES = {MakerRole.PARTNER}
MAKER_LOGO = "max-160x160|format-webp"


def absolute(request: HttpRequest, url: str | None) -> str | None:
    return request.build_absolute_uri(url) if url else None


def poc_creative_work(
    page: POCPage,
    *,
    url: str,
    makers: Iterable[POCMaker],
    themes: Iterable[Theme],
    request: HttpRequest,
) -> dict[str, Any]:
    """A POC page as a schema.org `CreativeWork`; `url` is its canonical address."""
    roles = list(makers)
    data: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        "@type": "CreativeWork",
        "@id": f"{url}#poc",
        "url": url,
        "name": page.title,
        "description": page.summary,
        "inLanguage": page_language(page),
        "keywords": [theme.label for theme in themes],
        "creativeWorkStatus": str(page.get_stage_display()),
        "creator": [
            maker_reference(role.maker, request)
            for role in roles
            if role.role not in CONTRIBUTING_ROLES
        ],
        "contributor": [
            maker_reference(role.maker, request)
            for role in roles
            if role.role in CONTRIBUTING_ROLES
        ],
    }
    image = absolute(request, rendition_url(page.hero_image, SHARE_IMAGE))
    if image:
        data["image"] = {
            "@type": "ImageObject",
            "url": image,
            "caption": page.hero_alt_text,
            **({"creditText": page.hero_credit} if page.hero_credit else {}),
        }
    place = poc_place(page)
    if place:
        data["contentLocation"] = place
    if page.year:
        data["dateCreated"] = str(page.year)
    if page.first_published_at:
        data["datePublished"] = page.first_published_at.isoformat()
    if page.last_published_at:
        data["dateModified"] = page.last_published_at.isoformat()
    return _without_empty(data)


def poc_place(page: POCPage) -> dict[str, Any] | None:
    """Where the POC was tried out: its commune and address, at its position on the map."""
    commune = page.commune if page.commune_id else None
    point = page.location
    if commune is None and point is None:
        return None
    place: dict[str, Any] = {"@type": "Place"}
    if commune is not None:
        place["name"] = commune.name
        place["address"] = _without_empty(
            {
                "@type": "PostalAddress",
                "streetAddress": page.address,
                "addressLocality": commune.name,
                "addressCountry": COUNTRY,
            }
        )
    if point is not None:
        place["geo"] = {"@type": "GeoCoordinates", "latitude": point.lat, "longitude": point.lon}
    return place


def maker_type(maker: Maker) -> str:
    return MAKER_TYPES.get(maker.kind, "Organization")


def maker_reference(maker: Maker, request: HttpRequest) -> dict[str, Any]:
    """A maker named in another object: its type, name and page (when it has a public one)."""
    data: dict[str, Any] = {"@type": maker_type(maker), "name": maker.name}
    if maker.is_public:
        url = absolute(request, maker.get_absolute_url())
        data.update({"@id": f"{url}#maker", "url": url})
    return data


def maker_entity(maker: Maker, *, url: str, request: HttpRequest) -> dict[str, Any]:
    """A maker's page as a schema.org `Person` or `Organization`."""
    kind = maker_type(maker)
    logo = absolute(request, rendition_url(maker.logo, MAKER_LOGO))
    data: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        "@type": kind,
        "@id": f"{url}#maker",
        "url": url,
        "name": maker.name,
        "description": maker.localized_bio,
        "sameAs": [maker.website] if maker.website else [],
        ("image" if kind == "Person" else "logo"): logo,
    }
    if maker.commune_id:
        data["address"] = {
            "@type": "PostalAddress",
            "addressLocality": maker.commune.name,
            "addressCountry": COUNTRY,
        }
    return _without_empty(data)


def website(*, name: str, url: str, language: str) -> dict[str, Any]:
    """The site itself, on its home page: the name search engines show beside its results."""
    return {
        "@context": SCHEMA_ORG,
        "@type": "WebSite",
        "name": name,
        "url": url,
        "inLanguage": language,
    }


def poc_item_list(
    cards: Sequence[POCCard], *, first_position: int, total: int, request: HttpRequest
) -> dict[str, Any]:
    """The POCs a list shows, in its order: `first_position` is the first card's rank in the
    whole list (a later page starts after the earlier ones), `total` the list's length."""
    return {
        "@context": SCHEMA_ORG,
        "@type": "ItemList",
        "numberOfItems": total,
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": first_position + offset,
                "url": absolute(request, card.url),
                "name": card.title,
            }
            for offset, card in enumerate(cards)
        ],
    }


def _without_empty(data: dict[str, Any]) -> dict[str, Any]:
    """Leave out what the POC or maker does not say, rather than publish empty values."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}
