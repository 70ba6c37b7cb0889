from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from search import views as search_views
from showcase import views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("healthz/", views.health, name="health"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("api/catalogue/", include("search.urls")),
    path("api/schema/", search_views.schema_api, name="api_schema"),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("", include("poc_catalogue.urls")),
    path("", include("poc_catalogue.submissions.urls")),
    path("", include("poc_catalogue.comments.urls")),
    path("", include("poc_catalogue.supports.urls")),
    path("open-data/", search_views.open_data_page, name="open_data"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
