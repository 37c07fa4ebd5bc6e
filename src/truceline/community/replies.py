"""Replies to community reporters, in the sender's language (pure).

Every reply is short enough for one or two text messages and names nobody:
no other reporter, no committee member, no place more precise than the one
the reporter sent. ``reply_for`` picks the reply to a parsed message;
``feedback_text`` words the later notices (under verification, outcome).
To add a language, add a column to each table here and to
``grammar.FIELD_NAMES`` and ``grammar.EXAMPLES``.
"""

from __future__ import annotations

from enum import StrEnum

from truceline.community.grammar import EN, EXAMPLES, FA, FIELD_NAMES, PS, UR
from truceline.community.sms import ParsedMessage


class ReplyKind(StrEnum):
    ACKNOWLEDGED = "acknowledged"
    ASK_MISSING = "ask_missing"
    UNREADABLE = "unreadable"
    HELD = "held"
    DUPLICATE = "duplicate"
    RATE_LIMITED = "rate_limited"
    UNDER_VERIFICATION = "under_verification"
    OUTCOME = "outcome"
    RESOLVED_LOCALLY = "resolved_locally"
    ESCALATED = "escalated"


TEMPLATES: dict[ReplyKind, dict[str, str]] = {
    ReplyKind.ACKNOWLEDGED: {
        EN: "Report received. Code {code}. Thank you.",
        PS: "ستاسو راپور ترلاسه شو. کوډ: {code}. مننه.",
        FA: "گزارش شما دریافت شد. کد: {code}. تشکر.",
        UR: "آپ کی رپورٹ موصول ہو گئی۔ کوڈ: {code}۔ شکریہ۔",
    },
    ReplyKind.ASK_MISSING: {
        EN: "Please also send {fields}. Example: {example}",
        PS: "مهرباني وکړئ {fields} هم ولیږئ. بېلګه: {example}",
        FA: "لطفاً {fields} را نیز بفرستید. مثال: {example}",
        UR: "براہ کرم {fields} بھی بھیجیں۔ مثال: {example}",
    },
    ReplyKind.UNREADABLE: {
        EN: "We could not read your message. Send: {example}",
        PS: "ستاسو پیغام ونه لوستل شو. داسې یې ولیږئ: {example}",
        FA: "پیام شما خوانده نشد. این گونه بفرستید: {example}",
        UR: "آپ کا پیغام پڑھا نہیں جا سکا۔ اس طرح بھیجیں: {example}",
    },
    ReplyKind.HELD: {
        EN: "Message received. It will be reviewed before it is used.",
        PS: "ستاسو پیغام ترلاسه شو. تر کارولو مخکې به وکتل شي.",
        FA: "پیام شما دریافت شد. پیش از استفاده بررسی می شود.",
        UR: "آپ کا پیغام موصول ہو گیا۔ استعمال سے پہلے اس کا جائزہ لیا جائے گا۔",
    },
    ReplyKind.DUPLICATE: {
        EN: "Already received. Code {code}.",
        PS: "دا پیغام مخکې ترلاسه شوی. کوډ: {code}.",
        FA: "این پیام قبلاً دریافت شده. کد: {code}.",
        UR: "یہ پیغام پہلے موصول ہو چکا ہے۔ کوڈ: {code}۔",
    },
    ReplyKind.RATE_LIMITED: {
        EN: "Too many messages. Please wait a few minutes and send again.",
        PS: "ډېر پیغامونه. لږ دقیقې صبر وکړئ او بیا یې ولیږئ.",
        FA: "پیام ها زیاد است. چند دقیقه صبر کنید و دوباره بفرستید.",
        UR: "بہت زیادہ پیغامات۔ چند منٹ انتظار کریں اور دوبارہ بھیجیں۔",
    },
    ReplyKind.UNDER_VERIFICATION: {
        EN: "Report {code} is under verification.",
        PS: "راپور {code} د تصدیق لاندې دی.",
        FA: "گزارش {code} در حال تأیید است.",
        UR: "رپورٹ {code} کی تصدیق جاری ہے۔",
    },
    ReplyKind.OUTCOME: {
        EN: "Report {code}: verification finished ({outcome}). Thank you.",
        PS: "راپور {code}: تصدیق پای ته ورسېده ({outcome}). مننه.",
        FA: "گزارش {code}: تأیید پایان یافت ({outcome}). تشکر.",
        UR: "رپورٹ {code}: تصدیق مکمل ہو گئی ({outcome})۔ شکریہ۔",
    },
    ReplyKind.RESOLVED_LOCALLY: {
        EN: "Report {code}: settled by the district committee.",
        PS: "راپور {code}: د ولسوالۍ کمېټې حل کړ.",
        FA: "گزارش {code}: توسط کمیته ولسوالی حل شد.",
        UR: "رپورٹ {code}: ضلعی کمیٹی نے حل کر دیا۔",
    },
    ReplyKind.ESCALATED: {
        EN: "Report {code}: passed to the national level.",
        PS: "راپور {code}: ملي کچې ته ولېږل شو.",
        FA: "گزارش {code}: به سطح ملی فرستاده شد.",
        UR: "رپورٹ {code}: قومی سطح پر بھیج دی گئی۔",
    },
}

#: Outcomes of verification as a reporter reads them.
OUTCOMES: dict[str, dict[str, str]] = {
    "determined": {EN: "confirmed", PS: "تایید شو", FA: "تأیید شد", UR: "تصدیق ہو گئی"},
    "refuted": {EN: "not confirmed", PS: "تایید نه شو", FA: "تأیید نشد", UR: "تصدیق نہیں ہوئی"},
    "closed_unverifiable": {
        EN: "could not be verified",
        PS: "تصدیق نه شو کېدای",
        FA: "قابل تأیید نبود",
        UR: "تصدیق نہیں ہو سکی",
    },
}

LIST_SEPARATOR = {EN: " and ", PS: " او ", FA: " و ", UR: " اور "}


def render(kind: ReplyKind, language: str, **values: str) -> str:
    templates = TEMPLATES[kind]
    language = language if language in templates else EN
    values.setdefault("example", EXAMPLES[language])
    return templates[language].format(**values)


def ask_missing(parsed: ParsedMessage) -> str:
    language = parsed.language if parsed.language in LIST_SEPARATOR else EN
    fields = LIST_SEPARATOR[language].join(FIELD_NAMES[f][language] for f in parsed.missing)
    return render(ReplyKind.ASK_MISSING, language, fields=fields)


def outcome_text(state: str, language: str) -> str:
    labels = OUTCOMES.get(state, {})
    return labels.get(language) or labels.get(EN) or state.replace("_", " ")
