"""Staff work in the admin and browse the site under the Content-Security-Policy.

The `page` fixture fails a test whenever the browser refuses something the page asked for.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.factories import make_poc

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_editor_logs_in_edits_a_poc_and_sees_the_site_with_the_userbar(page, live_server):
    get_user_model().objects.create_superuser("redaction", "r@example.org", "mot-de-passe-long")
    poc = make_poc("Banc sous contrôle")

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "redaction")
    page.fill("#id_password", "mot-de-passe-long")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/pages/{poc.pk}/edit/")
    page.get_by_role("tab", name="Classement").click()
    # The inline panel's script ran: adding a maker adds a form.
    total = page.locator("#id_poc_makers-TOTAL_FORMS")
    before = int(total.input_value())
    page.click("#id_poc_makers-ADD")
    expect(total).to_have_value(str(before + 1))
    page.goto(f"{live_server.url}/admin/images/")
    page.goto(f"{live_server.url}/admin/submission_records/")

    page.goto(f"{live_server.url}{poc.url}")
    expect(page.locator("wagtail-userbar")).to_be_attached()
    expect(page.get_by_role("heading", name="Banc sous contrôle")).to_be_visible()
