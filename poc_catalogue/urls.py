from django.urls import path

from . import views

app_name = "poc_catalogue"

urlpatterns = [
    path("themes/<slug:slug>/", views.theme_detail, name="theme"),
    path("communes/<slug:slug>/", views.commune_detail, name="commune"),
    path("makers/<slug:slug>/", views.maker_detail, name="maker"),
    path("selection/", views.selection, name="selection"),
]
