"""Content-Security-Policy: strict on the public site, Wagtail's needs in its admin.

The public pages carry no inline script or style attribute: what little runs inline carries
the response's nonce (`request.csp_nonce`). Images may also come from the map tile server and
from the media origin, read from the settings at each response so the policy follows them.
Wagtail's admin still has inline scripts and styles of its own (its inline panels and date
pickers initialise from `<script>` elements), so under `/admin/` both may be inline: the
policy there keeps every external origin out, but not an injected inline script. Everything
a staff member types is escaped by Wagtail before it reaches those pages.
"""

from __future__ import annotations

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse

from showcase.settings.env import origin_of


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only or parts.config is not None:
            return parts
        directives = {
            name: list(values)
            for name, values in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"].items()
        }
        for url in (settings.MAP_TILE_URL, settings.MEDIA_URL):
            origin = origin_of(url)
            if origin and origin not in directives["img-src"]:
                directives["img-src"].append(origin)
        if request.path_info.startswith(reverse("wagtailadmin_home")):
            directives["script-src"] = [SELF, UNSAFE_INLINE]
            directives["style-src"] = [SELF, UNSAFE_INLINE]
        parts.config = directives
        return parts
