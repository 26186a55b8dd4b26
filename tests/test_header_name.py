"""The header keeps the patient's name whole (up to 16 cells) before what follows it: a tryout's
80-column plan header read "Han… · plan (contraindicated)" beside the to-sign count."""

from __future__ import annotations

from textual.app import App

from assistant.tui.widgets.title_bar import patient_sub_title


async def test_a_short_name_stays_whole_and_what_follows_is_cut() -> None:
    app: App[None] = App()
    async with app.run_test(size=(80, 24)):
        app.title = "Botulax consult · to sign: 1"
        shown = patient_sub_title(app, "Hana Kim", "plan (contraindicated)")
        assert shown.startswith("Hana Kim · plan (") and shown.endswith("…"), shown
        long = patient_sub_title(app, "Kim Ji-woo Alexandra Park-Lee", "plan (given)")
        assert long.startswith("Kim Ji-woo Alex…") and long.count("…") <= 2, long
        app.title = "Botulax consult"
        roomy = patient_sub_title(app, "Hana Kim", "plan (contraindicated)")
        assert roomy == "Hana Kim · plan (contraindicated)", "with room, nothing is cut"
