"""刘红 records a contact in a village with no signal, and it arrives once she is back.

She opened 记录联系选民 once on her phone while she had signal. In 桃园村 there is none:
the form still opens (the service worker kept it), she writes the contact and takes a
photo of the broken street lamp (4000 × 3000, shrunk on the phone to 1600 px on the
longest side), saves, and the page says 1 条待上传. She closes the app; opened again,
still without signal, it still says 1 条待上传. Back in range, the log is sent by
itself: one row on the server with its photo; reloading sends nothing again. When
she signs out, the pages kept on the phone and her queue are gone.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.signals import request_started
from django.utils import timezone
from PIL import Image
from playwright.sync_api import BrowserContext, Page, expect

from congress.models import EventAttachment, User
from representatives.models import ContactKind, ContactLog
from representatives.services import CONTACT_LOG_CASE
from tests.browser.conftest import assert_clean, log_in, screenshot
from tests.conftest import World
from tests.factories import UserFactory
from tests.representatives.factories import RepresentativeFactory, seat

pytestmark = pytest.mark.browser

QUEUE_ROWS = """async () => {
  const items = await new Promise((resolve, reject) => {
    const open = indexedDB.open("congress-offline", 1);
    open.onupgradeneeded = () => open.result.createObjectStore("contact-logs", {keyPath: "key"})
      .createIndex("user", "user");
    open.onsuccess = () => {
      const all = open.result.transaction("contact-logs").objectStore("contact-logs").getAll();
      all.onsuccess = () => { open.result.close(); resolve(all.result); };
      all.onerror = () => reject(all.error);
    };
    open.onerror = () => reject(open.error);
  });
  return items.length;
}"""


def _camera_photo() -> bytes:
    """A 4000 × 3000 photo as a phone's camera would give it (PNG here: a large file)."""
    image = Image.new("RGB", (4000, 3000), (90, 120, 160))
    for x in range(0, 4000, 400):
        image.paste((200, 60, 40), (x, 1000, x + 200, 2000))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _ready_for_offline(page: Page) -> None:
    """The worker is registered and has kept her pages (offline.js marks the page)."""
    expect(page.locator("html")).to_have_attribute("data-offline-ready", "1")
    page.wait_for_function(
        "async () => !!(await navigator.serviceWorker.getRegistration('/'))?.active"
    )


def _kept_pages(page: Page) -> list[str]:
    names: list[str] = page.evaluate("() => caches.keys()")
    return names


def test_a_log_with_a_photo_recorded_without_signal_is_sent_once_when_back_online(
    phone_page: Page, world: World, representative_user: User, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    page = phone_page
    context: BrowserContext = page.context
    liu = RepresentativeFactory(name="刘红", region=world.village, user=representative_user)
    seat(liu, world.district)

    log_in(page, representative_user)
    page.goto("/contacts/new/")
    _ready_for_offline(page)
    expect(page.get_by_test_id("offline-badge")).to_be_visible()
    assert "offline-pages" in _kept_pages(page)

    # No signal: the form opens from what the phone kept (the server hears nothing).
    heard: list[str] = []

    def hear(sender: Any, environ: dict[str, Any], **kwargs: Any) -> None:
        heard.append(environ["PATH_INFO"])

    request_started.connect(hear)
    context.set_offline(True)
    page.goto("/")  # the installed app opens her home page
    expect(page.get_by_test_id("home-title")).to_be_visible()
    opened = page.goto("/contacts/new/")
    assert opened is not None and opened.from_service_worker
    expect(page.get_by_role("heading", name="记录联系选民")).to_be_visible()

    page.get_by_label("地点", exact=True).fill("桃园村村委会")
    page.get_by_label("人数", exact=True).fill("4")
    page.get_by_label("情况摘要").fill("村口路灯坏了三盏，村民夜间出行不便。")
    page.get_by_label("照片（可选）").set_input_files(
        {"name": "street-lamp.png", "mimeType": "image/png", "buffer": _camera_photo()}
    )
    # Shrunk on the phone: a JPEG of at most 1600 px on its longest side.
    page.wait_for_function(
        "() => { const f = document.querySelector('input[type=file]').files[0];"
        " return !!f && f.type === 'image/jpeg'; }"
    )
    page.get_by_test_id("contact-submit").click()
    expect(page.get_by_test_id("queue-count")).to_have_text("1 条待上传")
    expect(page.get_by_test_id("queue-notice")).to_contain_text("已保存在本机")
    screenshot(page, "offline-contact-log-queued-phone")
    assert ContactLog.objects.count() == 0

    # She closes the app and opens it again, still without signal: the log is still there.
    page.close()
    page = context.new_page()
    page.goto("/contacts/new/")
    expect(page.get_by_test_id("queue-count")).to_have_text("1 条待上传")
    assert page.evaluate(QUEUE_ROWS) == 1
    request_started.disconnect(hear)
    # (The browser's own update check of /sw.js is not the page's and may get through.)
    assert not [
        path for path in heard if path == "/" or path.startswith(("/contacts/", "/offline/"))
    ]

    # Back in range: it is sent by itself, once.
    context.set_offline(False)
    expect(page.get_by_test_id("queue-notice")).to_contain_text("已上传", timeout=15_000)
    expect(page.get_by_test_id("queue-count")).to_have_text("")
    assert page.evaluate(QUEUE_ROWS) == 0
    log = ContactLog.objects.get()
    assert log.representative == liu
    assert log.contacted_on == timezone.localdate()
    assert log.kind == ContactKind.VISIT and log.people_count == 4
    assert log.place == "桃园村村委会"
    photo = EventAttachment.objects.get(event__case_type=CONTACT_LOG_CASE, event__case_id=log.pk)
    assert photo.content_type == "image/jpeg"
    with Image.open(photo.file.path) as stored:
        # 4000 × 3000 shrunk to 1600 on its longest side keeps the 4:3 shape.
        assert stored.size == (1600, 1200)

    # A reload (and the worker's Background Sync) send nothing again.
    page.reload()
    expect(page.get_by_role("heading", name="记录联系选民")).to_be_visible()
    assert ContactLog.objects.count() == 1
    assert EventAttachment.objects.count() == 1
    assert_clean(page)


def test_sign_out_clears_the_kept_pages_and_the_queue(
    phone_page: Page, world: World, representative_user: User
) -> None:
    page = phone_page
    liu = RepresentativeFactory(name="刘红", region=world.village, user=representative_user)
    seat(liu, world.district)

    log_in(page, representative_user)
    page.goto("/my/duty/")
    _ready_for_offline(page)
    page.wait_for_function(
        "async () => (await (await caches.open('offline-pages')).keys()).length >= 4"
    )

    page.get_by_role("button", name="展开导航").click()
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    page.wait_for_url("**/accounts/login/**")
    assert "offline-pages" not in _kept_pages(page)
    assert page.evaluate("() => localStorage.getItem('offline:user')") is None
    assert page.evaluate(QUEUE_ROWS) == 0
    assert_clean(page)


def test_pages_kept_for_one_representative_are_gone_when_another_user_signs_in(
    phone_page: Page, world: World, representative_user: User
) -> None:
    """刘红's session ends on a shared phone without her signing out; 张伟 signs in next."""
    page = phone_page
    liu = RepresentativeFactory(name="刘红", region=world.village, user=representative_user)
    seat(liu, world.district)
    zhang_user = UserFactory(username="zhangwei", display_name="张伟")
    zhang = RepresentativeFactory(name="张伟", region=world.village, user=zhang_user)
    seat(zhang, world.district)

    log_in(page, representative_user)
    page.goto("/my/duty/")
    _ready_for_offline(page)
    page.wait_for_function(
        "async () => (await (await caches.open('offline-pages')).keys()).length >= 4"
    )

    page.context.clear_cookies()  # her session is over
    log_in(page, zhang_user)  # the login page and his home page: hers are deleted
    assert "offline-pages" not in _kept_pages(page)
    assert page.evaluate("() => localStorage.getItem('offline:user')") is None

    # Kept again, for him, once he opens one of his offline pages.
    page.goto("/contacts/new/")
    _ready_for_offline(page)
    assert page.evaluate("() => localStorage.getItem('offline:user')") == str(zhang_user.pk)
    assert_clean(page)
