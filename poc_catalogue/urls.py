from django.urls import path

from . import feeds, views

app_name = "poc_catalogue"

urlpatterns = [
    path("themes/<slug:slug>/", views.theme_detail, name="theme"),
    path("communes/<slug:slug>/", views.commune_detail, name="commune"),
    path("makers/<slug:slug>/", views.maker_detail, name="maker"),
    path("feeds/pocs/", feeds.NewPOCsFeed(), name="feed_pocs"),
    path("feeds/themes/<slug:slug>/", feeds.ThemeFeed(), name="feed_theme"),
    path("feeds/communes/<slug:slug>/", feeds.CommuneFeed(), name="feed_commune"),
    path("selection/", views.selection, name="selection"),
]
