from django.urls import path

from . import views

app_name = "submissions"

urlpatterns = [
    path("submit/", views.submit, name="submit"),
    path("submit/thanks/", views.thanks, name="thanks"),
    path("submit/status/<str:token>/", views.status, name="status"),
    path("submit/status/<str:token>/edit/", views.edit, name="edit"),
    path("submit/status/<str:token>/withdraw/", views.withdraw, name="withdraw"),
    path("submit/lost-link/", views.lost_link, name="lost_link"),
    path("submit/lost-link/sent/", views.lost_link_sent, name="lost_link_sent"),
    path("submit/kept/<str:token>/", views.kept_image_thumbnail, name="kept_image"),
]
