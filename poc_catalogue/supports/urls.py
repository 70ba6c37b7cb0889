from django.urls import path

from . import views

app_name = "supports"

urlpatterns = [
    path("supports/state/", views.states, name="states"),
    path("supports/<int:page_id>/", views.support, name="support"),
]
