"""The admin's "Importer des POC": upload, read the dry run's report, confirm, follow progress.

Only staff who may add POC pages under the catalogue reach these views. Thin views: the
checks and the import are `importer`'s, the job's files and task are `jobs`'s.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.validators import FileExtensionValidator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ..models import CatalogueIndexPage
from .columns import COLUMNS, EXAMPLE_ROW
from .jobs import ImportJob, run_import
from .reading import FORMATS, UnreadableFile, write_dataset

MAX_SPREADSHEET_BYTES = 10 * 1024 * 1024
MAX_ARCHIVE_BYTES = 1024 * 1024 * 1024
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def can_import(user) -> bool:
    """The one permission: adding POC pages under the catalogue."""
    try:
        catalogue = CatalogueIndexPage.in_source_language()
    except CatalogueIndexPage.DoesNotExist:
        return False
    return catalogue.permissions_for_user(user).can_add_subpage()


class ImportPermissionMixin:
    def get_breadcrumbs_items(self):
        # Without its own crumb, Wagtail's header names the page "Home".
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.page_title}]

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not can_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ImportForm(forms.Form):
    spreadsheet = forms.FileField(
        label=gettext_lazy("Spreadsheet (CSV or XLSX)"),
        validators=[FileExtensionValidator(["csv", "xlsx"])],
    )
    images = forms.FileField(
        label=gettext_lazy("Images (ZIP)"),
        required=False,
        validators=[FileExtensionValidator(["zip"])],
        help_text=gettext_lazy("The photos the rows name, by file name."),
    )

    def clean_spreadsheet(self):
        upload = self.cleaned_data["spreadsheet"]
        if upload.size > MAX_SPREADSHEET_BYTES:
            raise forms.ValidationError(_("The spreadsheet is larger than 10 MB."))
        return upload

    def clean_images(self):
        upload = self.cleaned_data.get("images")
        if upload and upload.size > MAX_ARCHIVE_BYTES:
            raise forms.ValidationError(_("The ZIP of images is larger than 1 GB."))
        return upload


class ImportStartView(ImportPermissionMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "poc_catalogue/admin/import_start.html"
    form_class = ImportForm
    page_title = gettext_lazy("Import POCs")
    header_icon = "upload"

    def get_context_data(self, **kwargs):
        return super().get_context_data(columns=COLUMNS, formats=FORMATS, **kwargs)

    def form_valid(self, form: ImportForm) -> HttpResponse:
        spreadsheet = form.cleaned_data["spreadsheet"]
        images = form.cleaned_data.get("images")
        job = ImportJob.create(
            spreadsheet.read(),
            spreadsheet.name,
            images.read() if images else None,
            user_id=self.request.user.pk,
        )
        try:
            report = job.plan()
        except UnreadableFile as error:
            form.add_error("spreadsheet", str(error))
            return self.form_invalid(form)
        except ValueError as error:  # an unreadable ZIP
            form.add_error("images", str(error))
            return self.form_invalid(form)
        job.record(report, "planned")
        return redirect("poc_import_job", job_id=job.id)


def _job_or_404(job_id: str) -> ImportJob:
    try:
        job = ImportJob(job_id)
    except LookupError:
        raise Http404 from None
    if not job.exists():
        raise Http404
    return job


class ImportJobView(ImportPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    """The dry run's report and its confirmation; then the import's progress and report."""

    template_name = "poc_catalogue/admin/import_job.html"
    page_title = gettext_lazy("Import POCs")
    header_icon = "upload"

    def get_context_data(self, **kwargs):
        job = _job_or_404(self.kwargs["job_id"])
        state = job.state
        if state.get("user_id") != self.request.user.pk:
            raise Http404  # each staff member sees their own imports
        rows = state.get("rows", [])
        return super().get_context_data(
            job=job,
            state=state,
            rows=rows,
            importable=any(row["action"] in ("create", "update") for row in rows),
            running=state["status"] in ("queued", "running"),
            listing_url=reverse("poc_pages:index"),
            **kwargs,
        )

    def post(self, request: HttpRequest, job_id: str) -> HttpResponse:
        job = _job_or_404(job_id)
        if job.state.get("user_id") != request.user.pk or job.state["status"] != "planned":
            raise Http404
        job.write(status="queued", done=0, total=0)
        run_import.enqueue(job.id, bool(request.POST.get("publish")))
        return redirect("poc_import_job", job_id=job.id)


class ImportTemplateView(ImportPermissionMixin, View):
    """The empty spreadsheet to fill in: the header and one example row."""

    def get(self, request: HttpRequest, file_format: str) -> HttpResponse:
        if file_format not in FORMATS:
            raise Http404
        return spreadsheet_response(
            write_dataset([EXAMPLE_ROW], file_format), file_format, "modele-import-poc"
        )


def spreadsheet_response(content: bytes, file_format: str, name: str) -> HttpResponse:
    """A CSV or XLSX file to download."""
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response
