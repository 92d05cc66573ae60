"""The state of a case from its events: statuses, outcomes, deadlines with exact dates (the
real working-day calendar), corrections of the record, and the messages for impossible events."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xxgk.ledger import domain
from xxgk.ledger.domain import case_state, effective_events, replay, validate_event
from xxgk.ledger.records import OUTCOMES, CaseRecord, EventRecord

D = date


def case(received: date = D(2025, 3, 3), applicant_type: str = "natural_person") -> CaseRecord:
    return CaseRecord("2025-0001", received, "online", applicant_type, "张三", "某某文件", id=1)


def ev(what: str, day: date, id: int, supersedes: int | None = None, **data) -> EventRecord:
    return EventRecord(what, day, data, case_id=1, id=id, supersedes=supersedes)


# ---------------------------------------------------------------- statuses and deadlines


def test_new_case_reply_and_correction_notice_deadlines():
    # Received the Friday before 国庆: 9/28 and 10/11 are worked weekend days, 10/1–10/8 off.
    state = case_state(case(D(2025, 9, 26)), [], D(2025, 9, 28))
    assert state.status == "open" and state.outcome is None and state.closed_on is None
    assert state.deadline.due == D(2025, 10, 30)
    assert state.deadline.explanation[-1] == "答复期限：2025-10-30（星期四）"
    assert state.correction_due.due == D(2025, 10, 13)
    # Once the 7 working days have passed the 补正 notice is no longer possible.
    assert case_state(case(D(2025, 9, 26)), [], D(2025, 10, 14)).correction_due is None


def test_correction_restarts_the_clock():
    c = case(D(2025, 9, 26))
    events = [ev("correction_requested", D(2025, 9, 29), 1, items="申请内容不明确")]
    waiting = case_state(c, events, D(2025, 10, 9))
    assert waiting.status == "awaiting_correction"
    assert waiting.deadline is None and waiting.correction_due is None
    events.append(ev("correction_received", D(2025, 10, 15), 2))
    state = case_state(c, events, D(2025, 10, 16))
    assert state.status == "open" and state.restarted == D(2025, 10, 15)
    assert state.deadline.due == D(2025, 11, 12)
    assert state.correction_due is None
    assert any("条例第三十条" in line for line in state.deadline.explanation)


def test_never_corrected_closes_as_other_no_correction():
    events = [
        ev("correction_requested", D(2025, 3, 5), 1, items="请写明文件名称"),
        ev("reply", D(2025, 4, 10), 2, outcome="other_no_correction"),
    ]
    state = case_state(case(), events, D(2025, 4, 10))
    assert (state.status, state.outcome, state.closed_on) == ("closed", "other_no_correction", D(2025, 4, 10))
    assert state.deadline is None


def test_consultation_pauses_the_clock():
    c = case()  # Monday 2025-03-03: 20 working days = 2025-03-31
    assert case_state(c, [], D(2025, 3, 4)).deadline.due == D(2025, 3, 31)
    started = [ev("consultation_started", D(2025, 3, 10), 1, party="某某公司", kind="third_party")]
    running = case_state(c, started, D(2025, 3, 12))
    assert running.status == "consulting"
    assert running.pauses == [(D(2025, 3, 10), D(2025, 3, 12))]  # counted up to today
    assert running.deadline.due == D(2025, 4, 3)
    ended = [*started, ev("consultation_ended", D(2025, 3, 14), 2, party="某某公司")]
    state = case_state(c, ended, D(2025, 3, 20))
    assert state.status == "open"
    # Five working days paused; 清明 (2025-04-04) falls in the way.
    assert state.deadline.due == D(2025, 4, 8)


def test_two_parties_consulted_at_once():
    c = case()
    events = [
        ev("consultation_started", D(2025, 3, 10), 1, party="甲公司"),
        ev("consultation_started", D(2025, 3, 11), 2, party="乙局"),
        ev("consultation_ended", D(2025, 3, 12), 3, party="甲公司"),
    ]
    assert case_state(c, events, D(2025, 3, 13)).status == "consulting"
    events.append(ev("consultation_ended", D(2025, 3, 14), 4, party="乙局"))
    state = case_state(c, events, D(2025, 3, 14))
    assert state.status == "open"
    assert state.pauses == [(D(2025, 3, 10), D(2025, 3, 12)), (D(2025, 3, 11), D(2025, 3, 14))]
    assert state.deadline.due == D(2025, 4, 8)  # merged pause 3/10–3/14


def test_extension_adds_twenty_working_days():
    events = [ev("extension", D(2025, 3, 25), 1, approved_by="办公室主任")]
    state = case_state(case(), events, D(2025, 3, 26))
    assert state.extended and state.deadline.due == D(2025, 4, 28)  # 2025-04-27 is a worked Sunday
    with_pause = [ev("consultation_started", D(2025, 3, 10), 2), ev("consultation_ended", D(2025, 3, 14), 3)]
    assert case_state(case(), events + with_pause, D(2025, 3, 26)).deadline.due == D(2025, 5, 8)


def test_fee_notice_payment_and_lapse():
    notice = ev("fee_notice", D(2025, 3, 10), 1, method="count", amount="100.00")
    waiting = case_state(case(), [notice], D(2025, 3, 12))
    assert waiting.status == "awaiting_fee"
    assert waiting.pauses == [(D(2025, 3, 10), D(2025, 3, 12))]
    paid = case_state(case(), [notice, ev("fee_paid", D(2025, 3, 14), 2, amount="100.00")], D(2025, 3, 14))
    assert paid.status == "open" and paid.deadline.due == D(2025, 4, 8)
    lapsed = case_state(case(), [notice, ev("fee_lapsed", D(2025, 4, 9), 2)], D(2025, 4, 9))
    assert (lapsed.status, lapsed.outcome, lapsed.closed_on) == ("closed", "other_unpaid_fee", D(2025, 4, 9))


def test_withdrawal_is_other_misc():
    state = case_state(case(), [ev("withdrawn", D(2025, 3, 6), 1)], D(2025, 12, 31))
    assert (state.status, state.outcome, state.closed_on) == ("closed", "other_misc", D(2025, 3, 6))


@pytest.mark.parametrize("outcome", OUTCOMES[:18])
def test_reply_closes_with_its_outcome(outcome):
    events = [ev("reply", D(2025, 3, 20), 1, outcome=outcome)]
    if outcome == "unavailable_unclear":
        events = [
            ev("correction_requested", D(2025, 3, 4), 2),
            ev("correction_received", D(2025, 3, 6), 3),
            *events,
        ]
    state = case_state(case(), events, D(2025, 3, 20))
    assert (state.status, state.outcome, state.closed_on) == ("closed", outcome, D(2025, 3, 20))
    assert case_state(case(), events, D(2025, 3, 19)).status == "open"  # the day before


# ---------------------------------------------------------------- the record and its corrections


def test_only_events_up_to_the_day_count():
    events = [ev("extension", D(2025, 3, 25), 1), ev("reply", D(2025, 4, 20), 2, outcome="granted")]
    assert case_state(case(), events, D(2025, 3, 24)).events == []
    assert [e.id for e in case_state(case(), events, D(2025, 3, 25)).events] == [1]
    assert case_state(case(), events, D(2025, 4, 20)).status == "closed"


def test_void_removes_and_voiding_the_void_restores():
    reply = ev("reply", D(2025, 3, 20), 1, outcome="granted")
    void = ev("void", D(2025, 5, 1), 2, supersedes=1, reason="误录")
    # A correction of the record applies whatever its own date.
    assert case_state(case(), [reply, void], D(2025, 3, 31)).status == "open"
    unvoid = ev("void", D(2025, 5, 2), 3, supersedes=2, reason="作废有误")
    assert case_state(case(), [reply, void, unvoid], D(2025, 3, 31)).outcome == "granted"
    assert effective_events([reply, void, unvoid]) == [reply]


def test_superseding_event_replaces_date_and_outcome():
    wrong = ev("reply", D(2025, 3, 20), 1, outcome="granted")
    right = ev("reply", D(2025, 3, 18), 2, supersedes=1, outcome="partially_granted")
    state = case_state(case(), [wrong, right], D(2025, 12, 31))
    assert (state.outcome, state.closed_on, [e.id for e in state.events]) == (
        "partially_granted",
        D(2025, 3, 18),
        [2],
    )


def test_amendment_applies_from_its_date():
    c = case(D(2025, 3, 3), "natural_person")
    events = [
        ev(
            "case_amended",
            D(2025, 3, 10),
            1,
            fields={"applicant_type": "commercial", "applicant_name": "某某公司"},
        ),
        ev("case_amended", D(2025, 3, 12), 2, fields={"received": "2025-02-28"}),
    ]
    assert case_state(c, events, D(2025, 3, 9)).case.applicant_type == "natural_person"
    amended = case_state(c, events, D(2025, 3, 12)).case
    assert (amended.applicant_type, amended.applicant_name, amended.received) == (
        "commercial",
        "某某公司",
        D(2025, 2, 28),
    )
    assert c.applicant_type == "natural_person"  # the record itself is never changed
    assert case_state(c, events, D(2025, 3, 12)).deadline.due == D(2025, 3, 28)


def test_impossible_events_are_skipped_and_listed():
    events = [
        ev("reply", D(2025, 3, 20), 1, outcome="granted"),
        ev("reply", D(2025, 3, 25), 2, outcome="withheld_process"),
        ev("fee_paid", D(2025, 3, 1), 3),
    ]
    state = replay(case(), events, D(2025, 12, 31))
    assert (state.outcome, state.closed_on) == ("granted", D(2025, 3, 20))
    assert state.problems == [
        "2025-03-01 缴费：日期早于收到申请日期 2025-03-03",
        "2025-03-25 答复：本申请已于 2025-03-20 办结，之后只能登记行政复议、行政诉讼、备注或更正登记信息",
    ]


def test_proceedings_follow_reviews_and_lawsuits():
    events = [
        ev("reply", D(2025, 3, 20), 1, outcome="withheld_third_party"),
        ev("review_filed", D(2025, 4, 1), 2),
        ev("review_decided", D(2025, 6, 1), 3, result="upheld"),
        ev("lawsuit_filed", D(2025, 6, 10), 4, after_review=True),
    ]
    state = case_state(case(), events, D(2025, 12, 31))
    assert [(p.kind, p.filed, p.after_review, p.decided, p.result) for p in state.proceedings] == [
        ("review", D(2025, 4, 1), False, D(2025, 6, 1), "upheld"),
        ("lawsuit", D(2025, 6, 10), True, None, None),
    ]


# ---------------------------------------------------------------- validation messages

CLOSED = [ev("reply", D(2025, 3, 20), 1, outcome="granted")]


@pytest.mark.parametrize(
    ("events", "new", "messages"),
    [
        (
            [],
            ev("reply", D(2025, 3, 1), 9, outcome="granted"),
            ["2025-03-01 答复：日期早于收到申请日期 2025-03-03"],
        ),
        (
            CLOSED,
            ev("reply", D(2025, 3, 25), 9, outcome="granted"),
            [
                "2025-03-25 答复：本申请已于 2025-03-20 办结，之后只能登记行政复议、行政诉讼、备注或更正登记信息"
            ],
        ),
        (
            CLOSED,
            ev("extension", D(2025, 3, 25), 9),
            [
                "2025-03-25 延期答复：本申请已于 2025-03-20 办结，之后只能登记行政复议、行政诉讼、备注或更正登记信息"
            ],
        ),
        ([], ev("reply", D(2025, 3, 5), 9, outcome="yes"), ["2025-03-05 答复：未知的答复结果“yes”"]),
        ([], ev("reply", D(2025, 3, 5), 9), ["2025-03-05 答复：未知的答复结果“”"]),
        ([], ev("phone_call", D(2025, 3, 5), 9), None),  # message lists the kinds; checked below
        (
            [],
            ev("consultation_ended", D(2025, 3, 5), 9, party="某公司"),
            ["2025-03-05 征求意见结束：没有对应的征求意见开始记录（某公司）"],
        ),
        (
            [ev("extension", D(2025, 3, 10), 1)],
            ev("extension", D(2025, 3, 11), 9),
            ["2025-03-11 延期答复：答复期限只能延长一次（条例第三十三条第二款）"],
        ),
        ([], ev("fee_paid", D(2025, 3, 5), 9), ["2025-03-05 缴费：没有待缴费的收费通知"]),
        ([], ev("fee_lapsed", D(2025, 3, 5), 9), ["2025-03-05 逾期未缴费：没有待缴费的收费通知"]),
        (
            CLOSED,
            ev("review_decided", D(2025, 5, 5), 9, result="upheld"),
            ["2025-05-05 行政复议决定：没有对应的行政复议申请"],
        ),
        (
            CLOSED,
            ev("lawsuit_decided", D(2025, 5, 5), 9, result="upheld"),
            ["2025-05-05 行政诉讼判决：没有对应的行政诉讼"],
        ),
        (
            CLOSED,
            ev("lawsuit_filed", D(2025, 5, 5), 9, after_review=True),
            ["2025-05-05 行政诉讼起诉：本申请没有行政复议记录，不能登记为复议后起诉"],
        ),
        (
            [ev("correction_requested", D(2025, 3, 4), 1), ev("correction_received", D(2025, 3, 6), 2)],
            ev("correction_requested", D(2025, 3, 7), 9),
            ["2025-03-07 补正通知：补正只能一次性告知（条例第三十条），本申请已告知过补正"],
        ),
        ([], ev("correction_received", D(2025, 3, 7), 9), ["2025-03-07 补正收到：没有待补正的补正通知"]),
        (
            [],
            ev("reply", D(2025, 3, 7), 9, outcome="other_no_correction"),
            ["2025-03-07 答复：没有待补正的补正通知，不能以“逾期不补正”办结"],
        ),
        (
            [],
            ev("reply", D(2025, 3, 7), 9, outcome="unavailable_unclear"),
            ["2025-03-07 答复：没有收到补正材料的记录，不能以“补正后申请内容仍不明确”答复"],
        ),
        ([], ev("void", D(2025, 3, 7), 9), ["作废事件必须指明被作废的事件"]),
        ([], ev("void", D(2025, 3, 7), 9, supersedes=4), ["要更正或作废的事件 #4 不存在"]),
        (
            [*CLOSED, ev("void", D(2025, 3, 21), 2, supersedes=1)],
            ev("void", D(2025, 3, 22), 9, supersedes=1),
            ["事件 #1 已被更正或作废"],
        ),
        (
            [],
            ev("fee_notice", D(2025, 3, 7), 9, method="free", amount="-1"),
            ["收费方式应为按件计收（count）或按量计收（pages）", "金额“-1”不是非负的金额"],
        ),
        (
            [],
            ev("case_amended", D(2025, 3, 7), 9, fields={"number": "x", "applicant_type": "alien"}),
            [
                "不能更正的登记字段“number”（可更正：received、channel、applicant_type、applicant_name、"
                "applicant_contact、request）",
                "登记字段“applicant_type”的新值“alien”无效",
            ],
        ),
    ],
)
def test_impossible_events(events, new, messages):
    got = validate_event(case(), events, new)
    if messages is None:
        assert len(got) == 1 and got[0].startswith("未知的事件类型“phone_call”（可用：correction_requested、")
    else:
        assert got == messages


@pytest.mark.parametrize("kind", ["review_filed", "note", "case_amended", "lawsuit_filed"])
def test_allowed_after_closure(kind):
    data = {"fields": {"applicant_contact": "13800000000"}} if kind == "case_amended" else {}
    assert validate_event(case(), CLOSED, ev(kind, D(2025, 4, 1), 9, **data)) == []


def test_a_back_dated_event_that_contradicts_later_ones():
    events = [ev("correction_requested", D(2025, 3, 4), 1), ev("correction_received", D(2025, 3, 10), 2)]
    got = validate_event(case(), events, ev("reply", D(2025, 3, 5), 9, outcome="granted"))
    assert got == [
        "与已登记的事件冲突：2025-03-10 补正收到："
        "本申请已于 2025-03-05 办结，之后只能登记行政复议、行政诉讼、备注或更正登记信息"
    ]


def test_voiding_what_a_later_event_needs():
    events = [
        ev("fee_notice", D(2025, 3, 4), 1, method="pages", amount="80.00"),
        ev("fee_paid", D(2025, 3, 10), 2),
    ]
    assert validate_event(case(), events, ev("void", D(2025, 3, 11), 9, supersedes=1)) == [
        "与已登记的事件冲突：2025-03-10 缴费：没有待缴费的收费通知"
    ]


def test_replacing_a_reply_is_not_a_second_reply():
    assert (
        validate_event(
            case(), CLOSED, ev("reply", D(2025, 3, 21), 9, supersedes=1, outcome="withheld_internal")
        )
        == []
    )


def test_existing_problems_are_not_blamed_on_the_new_event():
    broken = [ev("fee_paid", D(2025, 3, 5), 1)]  # imported from elsewhere
    assert validate_event(case(), broken, ev("note", D(2025, 3, 6), 9, text="电话联系")) == []


def test_fee_pause_switch(monkeypatch):
    events = [
        ev("fee_notice", D(2025, 3, 10), 1, method="count", amount="100.00"),
        ev("fee_paid", D(2025, 3, 14), 2),
    ]
    monkeypatch.setattr(domain, "FEE_WAIT_PAUSES_CLOCK", False)
    assert case_state(case(), events, D(2025, 3, 14)).deadline.due == D(2025, 3, 31)


# ---------------------------------------------------------------- properties

KINDS = [k for k in domain.EVENT_KINDS if k not in ("void", "case_amended")]
DATA = {
    "reply": [{"outcome": o} for o in OUTCOMES],
    "review_decided": [{"result": "upheld"}, {"result": "other"}],
    "lawsuit_decided": [{"result": "corrected"}],
    "lawsuit_filed": [{"after_review": False}, {"after_review": True}],
    "fee_notice": [{"method": "count", "amount": "200.00"}],
    "consultation_started": [{"party": "甲"}, {"party": "乙"}],
    "consultation_ended": [{"party": "甲"}, {"party": "乙"}, {}],
}
proposal = st.tuples(
    st.sampled_from(KINDS + ["void"]), st.integers(-3, 60), st.integers(0, 30), st.integers(0, 40)
)


@settings(max_examples=150, deadline=None)
@given(st.lists(proposal, max_size=25))
def test_histories_built_from_accepted_events_replay_cleanly(proposals):
    """Whatever is proposed, keeping only what validate_event accepts gives a history whose
    replay skips nothing, and whose state never contradicts itself."""
    c = case()
    events: list[EventRecord] = []
    for n, (kind, offset, pick, target) in enumerate(proposals, start=1):
        options = DATA.get(kind, [{}])
        supersedes = events[target % len(events)].id if kind == "void" and events else None
        new = EventRecord(
            kind,
            D(2025, 3, 3).fromordinal(D(2025, 3, 3).toordinal() + offset),
            options[pick % len(options)],
            id=n,
            supersedes=supersedes,
        )
        if not validate_event(c, events, new):
            events.append(new)
    state = replay(c, events, D(2026, 12, 31))
    assert state.problems == []
    assert (state.status == "closed") == (state.closed_on is not None) == (state.outcome is not None)
    assert all(e.kind != "void" for e in state.events)
    assert [e.date for e in state.events] == sorted(e.date for e in state.events)
