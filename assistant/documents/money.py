"""One way to write an amount of money, wherever it is shown: Babel's, by currency and language.

The dose summary, the patient's sheet, the plan screen and the command line's text all call
``money``, so a cost reads the same on each: "₩706" (KRW has no minor unit, so Babel rounds to the
won), "$520.00", "€75.50". The patient's language picks the locale ("US$520.00" in Korean); the
practitioner's papers and screens are in English. Babel is imported on the first call, not with the
module, so the screen that shows a cost does not slow the program's first frame.
"""

from __future__ import annotations

#: Babel locales for money per language: en_US writes "$520.00" rather than "US$520.00".
MONEY_LOCALES: dict[str, str] = {"en": "en_US", "ko": "ko_KR"}

NOT_SET = "not set"


def money_locale(language: str) -> str:
    """The Babel locale money is written in for a language; an unknown one falls back to English."""
    if language in MONEY_LOCALES:
        return MONEY_LOCALES[language]
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return MONEY_LOCALES["en"]
    return language


def money(amount: float, currency: str, language: str = "en") -> str:
    """``amount`` of ``currency`` (ISO 4217) as ``language`` writes it: money(705.6, "KRW") -> "₩706"."""
    from babel.numbers import format_currency

    return format_currency(amount, currency, locale=money_locale(language))


def cost_text(cost: float | None, currency: str | None, language: str = "en") -> str | None:
    """A plan's cost as ``money`` writes it, or None when the clinic has set no price (no cost)."""
    if cost is None or not currency:
        return None
    return money(cost, currency, language)
