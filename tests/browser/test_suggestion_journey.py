"""The whole life of a representative's suggestion, in Chromium, persona by persona.

刘红 drafts on her phone and asks 张伟 to co-sign; he confirms on his; she submits. City
staff (周文华) register it and hand it to 海州区交通运输局 (赵磊) as lead and 江海市交通运输局
(钱进) as co-handler. 钱进 sends his opinion; 赵磊 replies B with the signed letter (PDF).
刘红 is not satisfied: it goes back for re-handling; 赵磊 replies A; both signers are
satisfied and the suggestion is closed.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from congress.models import User
from suggestions.models.formal import Suggestion
from tests.browser.conftest import log_in, screenshot
from tests.conftest import World
from tests.suggestions_formal.conftest import Cast, cast  # noqa: F401 - the cast fixture

pytestmark = pytest.mark.browser


def status_is(page: Page, text: str) -> None:
    expect(page.get_by_test_id("suggestion-status")).to_have_text(text)


def test_from_draft_to_a_rated_reply_after_re_handling(
    new_page: Callable[[str], Page],
    cast: Cast,  # noqa: F811
    city_staff: User,
    clerk: User,
    world: World,
) -> None:
    # 刘红 drafts on her phone.
    liu = new_page("phone")
    log_in(liu, cast.lead_user)
    liu.goto("/suggestions/new/")
    liu.get_by_label("所属会议").select_option(str(cast.session.pk))
    liu.get_by_label("标题").fill("关于优化城东公交线网的建议")
    liu.get_by_label("类别").select_option("transport")
    liu.get_by_label("建议内容").fill("城东新建小区多、公交线路少，建议新增线路、加密班次。")
    liu.get_by_test_id("save-suggestion").click()
    status_is(liu, "草稿")
    suggestion = Suggestion.objects.get()
    page_url = f"/suggestions/{suggestion.pk}/"

    # She asks 张伟 to co-sign and sends the invitation.
    liu.locator("#id_invite_representatives").select_option(label="张伟")
    liu.get_by_test_id("do-invite").click()
    liu.get_by_test_id("do-start-cosigning").click()
    status_is(liu, "征集附议")

    # 张伟 confirms on his phone.
    zhang = new_page("phone")
    log_in(zhang, cast.cosigner_user)
    zhang.goto(page_url)
    zhang.get_by_test_id("do-cosign-confirm").click()
    expect(zhang.get_by_test_id(f"signer-{cast.cosigner.pk}")).to_contain_text("已确认")

    # 刘红 submits.
    liu.goto(page_url)
    liu.get_by_test_id("do-submit").click()
    status_is(liu, "已提交")
    screenshot(liu, "suggestion-submitted-phone")

    # City staff register it and hand it out: a lead and a co-handler.
    staff = new_page("desktop")
    log_in(staff, city_staff)
    staff.goto(page_url)
    staff.get_by_test_id("step-review").get_by_label("立案", exact=True).check()
    staff.get_by_test_id("do-review").click()
    status_is(staff, "已立案")
    staff.locator("#id_assign_lead_department").select_option(str(world.department.pk))
    staff.locator("#id_assign_co_handlers").select_option(str(world.city_department.pk))
    staff.get_by_test_id("do-assign").click()
    status_is(staff, "办理中")
    expect(staff.get_by_test_id("assignments")).to_contain_text("海州区交通运输局")
    expect(staff.get_by_test_id("assignments")).to_contain_text("江海市交通运输局")

    # The co-handler signs for it and sends its opinion to the lead.
    qian = new_page("desktop")
    log_in(qian, cast.city_clerk)
    qian.goto("/suggestions/workspace/")
    qian.get_by_test_id("workspace-row").first.click()
    qian.get_by_test_id("do-accept").click()
    qian.get_by_label("协办意见").fill("同意新增线路，市级公交补贴可予支持。")
    qian.get_by_test_id("do-opinion").click()
    expect(qian.get_by_test_id("timeline")).to_contain_text("同意新增线路")

    # The lead department signs for it and replies B, with the signed letter.
    zhao = new_page("desktop")
    log_in(zhao, clerk)
    zhao.goto("/suggestions/workspace/")
    expect(zhao.get_by_test_id("workspace-row")).to_have_count(1)
    zhao.get_by_test_id("workspace-row").click()
    zhao.get_by_test_id("do-accept").click()
    reply = zhao.get_by_test_id("step-reply")
    reply.get_by_label("B类（正在解决或列入计划）").check()
    reply.get_by_label("答复内容").fill("新增线路已列入明年公交线网优化计划。")
    reply.get_by_label("签发人").fill("李明")
    reply.get_by_label("附件（PDF 或图片）").set_input_files(
        files=[
            {
                "name": "答复函.pdf",
                "mimeType": "application/pdf",
                "buffer": b"%PDF-1.4\n% signed reply\n",
            }
        ]
    )
    zhao.get_by_test_id("do-reply").click()
    status_is(zhao, "已答复")
    expect(zhao.get_by_test_id("reply-1")).to_contain_text("答复函.pdf")

    # 刘红 is not satisfied: back to the department for re-handling.
    liu.goto(page_url)
    expect(liu.get_by_test_id("reply-1")).to_contain_text("B类")
    rate = liu.get_by_test_id("step-rate")
    rate.get_by_role("radiogroup", name="办理态度").get_by_label("基本满意").check()
    rate.get_by_role("radiogroup", name="办理结果").get_by_label("不满意").check()
    rate.get_by_label("意见").fill("只列入计划，没有明确开通时间。")
    rate.get_by_test_id("do-rate").click()
    status_is(liu, "重新办理")
    screenshot(liu, "suggestion-rehandling-phone")

    # 赵磊 replies again: A.
    zhao.goto(page_url)
    reply = zhao.get_by_test_id("step-reply")
    reply.get_by_label("A类（已解决或基本解决）").check()
    reply.get_by_label("答复内容").fill("新线路已于本月开通，班次间隔12分钟。")
    reply.get_by_label("签发人").fill("李明")
    zhao.get_by_test_id("do-reply").click()
    status_is(zhao, "已答复")

    # Both signers are satisfied: closed.
    for page in (liu, zhang):
        page.goto(page_url)
        rate = page.get_by_test_id("step-rate")
        rate.get_by_role("radiogroup", name="办理态度").get_by_label("满意", exact=True).check()
        rate.get_by_role("radiogroup", name="办理结果").get_by_label("满意", exact=True).check()
        rate.get_by_test_id("do-rate").click()
    status_is(zhang, "已办结")
    liu.goto(page_url)
    status_is(liu, "已办结")
    expect(liu.get_by_test_id("reply-2")).to_contain_text("A类")
    screenshot(liu, "suggestion-closed-phone")
    screenshot(staff, "suggestion-staff-desktop")


def test_the_lists_and_the_report_fit_a_phone(
    new_page: Callable[[str], Page],
    cast: Cast,  # noqa: F811
    city_staff: User,
    clerk: User,
    world: World,
) -> None:
    from suggestions.formal import services
    from tests.suggestions_formal.conftest import assigned

    for _n in range(3):
        suggestion = assigned(cast, city_staff, world, co_handler=world.city_department)
    services.suggestion_set_publish_consent(suggestion=suggestion, consent=True, by=cast.lead_user)
    lead = suggestion.lead_assignment
    assert lead is not None
    services.handling_accept(assignment=lead, by=clerk)
    services.suggestion_reply(
        suggestion=suggestion, category="B", text="已列入计划", signing_official="李明", by=clerk
    )
    pages = {
        city_staff: [
            "/suggestions/",
            "/suggestions/report/",
            f"/suggestions/{suggestion.pk}/",
            f"/suggestions/report/{cast.session.pk}/print/",
            "/suggestions/key/",
        ],
        clerk: ["/suggestions/workspace/", f"/suggestions/{suggestion.pk}/"],
        cast.lead_user: ["/", "/suggestions/new/", f"/suggestions/{suggestion.pk}/"],
    }
    for user, urls in pages.items():
        phone = new_page("phone")
        log_in(phone, user)
        for url in urls:
            phone.goto(url)
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, (url, width)
    public = new_page("phone")
    public.goto("/public/suggestions/")
    public.get_by_test_id("public-list").get_by_role("link").first.click()
    expect(public.get_by_test_id("public-reply")).to_contain_text("已列入计划")
    assert public.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(public, "suggestion-public-phone")
