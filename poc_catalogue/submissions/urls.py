from django.urls import path

from . import views

app_name = "submissions"

urlpatterns = [
    path("submit/", views.submit, name="submit"),
    path("submit/thanks/", views.thanks, name="thanks"),
    path("submit/status/<str:token>/", views.status, name="status"),
    path("submit/kept/<str:token>/", views.kept_image_thumbnail, name="kept_image"),
]
