"""The "POC review" workflow on the catalogue, moderated by the "Moderators" group.

Also creates the "Submissions" image collection, and gives moderators what they need:
admin access, editing catalogue drafts, the submitted images and the submission records.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

WORKFLOW_NAME = "POC review"
TASK_NAME = "Moderators approval"
GROUP_NAME = "Moderators"
COLLECTION_NAME = "Submissions"
TREE_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
TREE_STEP = 4


def tree_step(number):
    digits = ""
    while number:
        number, remainder = divmod(number, len(TREE_ALPHABET))
        digits = TREE_ALPHABET[remainder] + digits
    return digits.rjust(TREE_STEP, "0")


def permission(apps, app_label, model, codename, name):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    found, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return found


def submissions_collection(apps):
    Collection = apps.get_model("wagtailcore", "Collection")
    existing = Collection.objects.filter(name=COLLECTION_NAME).first()
    if existing:
        return existing
    root = Collection.objects.get(depth=1)
    children = Collection.objects.filter(depth=2, path__startswith=root.path)
    last = children.order_by("-path").values_list("path", flat=True).first()
    number = int(last[-TREE_STEP:], 36) + 1 if last else 1
    collection = Collection.objects.create(
        name=COLLECTION_NAME, path=root.path + tree_step(number), depth=2, numchild=0
    )
    root.numchild += 1
    root.save(update_fields=["numchild"])
    return collection


def create_review_workflow(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    SubmissionReviewTask = apps.get_model("submissions", "SubmissionReviewTask")
    CatalogueIndexPage = apps.get_model("poc_catalogue", "CatalogueIndexPage")

    moderators, _ = Group.objects.get_or_create(name=GROUP_NAME)
    task_type, _ = ContentType.objects.get_or_create(
        app_label="submissions", model="submissionreviewtask"
    )
    task = SubmissionReviewTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = SubmissionReviewTask.objects.create(
            name=TASK_NAME, content_type=task_type, active=True
        )
    task.groups.add(moderators)
    workflow, created = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    if created:
        WorkflowTask.objects.create(workflow=workflow, task_id=task.pk, sort_order=0)

    catalogue = CatalogueIndexPage.objects.first()
    if catalogue is not None:
        WorkflowPage.objects.update_or_create(
            page_id=catalogue.pk, defaults={"workflow": workflow}
        )
        for codename, name in [("change_page", "Can change page"), ("lock_page", "Can lock page")]:
            GroupPagePermission.objects.get_or_create(
                group=moderators,
                page_id=catalogue.pk,
                permission=permission(apps, "wagtailcore", "page", codename, name),
            )

    collection = submissions_collection(apps)
    for codename, name in [("choose_image", "Can choose image"), ("change_image", "Can change image")]:
        GroupCollectionPermission.objects.get_or_create(
            group=moderators,
            collection=collection,
            permission=permission(apps, "wagtailimages", "image", codename, name),
        )

    submissions_app = apps.get_app_config("submissions")
    submissions_app.models_module = True
    create_permissions(submissions_app, apps=apps, verbosity=0)
    submissions_app.models_module = None
    moderators.permissions.add(
        permission(apps, "wagtailadmin", "admin", "access_admin", "Can access Wagtail admin"),
        permission(apps, "submissions", "submission", "view_submission", "Can view submission"),
        permission(apps, "submissions", "submission", "change_submission", "Can change submission"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("submissions", "0001_initial"),
        ("poc_catalogue", "0002_seed_themes_communes_pages"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailimages", "0027_image_description"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_review_workflow, migrations.RunPython.noop)]
