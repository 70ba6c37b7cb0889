from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("poc/<int:page_id>/comment/", views.new_comment, name="new"),
    path("poc/<int:page_id>/comment/thanks/", views.thanks, name="thanks"),
    path("comments/<int:comment_id>/report/", views.report, name="report"),
]
