"""``show --format text``: a kept consult as a practitioner reads it, from ``record_view``'s fields."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from assistant.core.lifecycle.vial_names import short_id
from assistant.core.text_safety import printable


def _when(text: str | None) -> str:
    return dt.datetime.fromisoformat(text).astimezone().strftime("%Y-%m-%d %H:%M") if text else "-"


def _script_line(view: dict[str, Any], safe: Callable[[object], str]) -> str:
    script = f"Question script {safe(view.get('script_id'))} {safe(view.get('script_version'))}"
    approval = view.get("script_approval")
    if approval is None:
        return f"{script} (whether it was approved was not recorded)"
    if not approval["approved"]:
        return (
            f"{script}: NOT APPROVED by a medical director when this consult was kept"
            " (a director takes a script version into use with `botulax-consult script approve`)"
        )
    return f"{script}, approved by {safe(approval['by'])} on {_when(approval['at'])}"


def _lots(line: dict[str, Any], safe: Callable[[object], str]) -> str:
    """The lot a given line came from; a line drawn from several vials (the first ran out) names each,
    with its units: "lot A 3 U (vial 7KQ2M9XD) + lot B 22 U (vial 9PL4C2WX)"."""
    draws = line.get("draws") or ()
    if len(draws) > 1:
        return "  " + " + ".join(
            f"lot {safe(d['lot'])} {d['units']:g} U (vial {safe(short_id(d['vial_id']))})" for d in draws
        )
    return f"  lot {safe(line['lot'])}" if line["lot"] else ""


def show_text(view: dict[str, Any]) -> str:
    def safe(value: object) -> str:
        return printable(str(value), multiline=False) if value is not None else "-"

    lines = [
        f"Consult {view['consult_id']} · {safe(view['patient_name'])}"
        + (f" ({safe(view['patient_id'])})" if view["patient_id"] else ""),
        f"Date {view['date']}"
        + (f" (BACK-ENTERED on {view['entered_on']})" if view.get("entered_on") else "")
        + f" · {view['status']} · state {view['state'].upper()} · "
        f"version {view['version']} of {view['latest_version']}",
        f"Run by {safe(view['staff'])}",
        _script_line(view, safe),
        "",
        "Versions:",
    ]
    for note in view["versions"]:
        mark = "*" if note["version"] == view["version"] else " "
        lines.append(f" {mark}{note['version']:>3}  {_when(note['at'])}  {safe(note['by']):20} {safe(note['change'])}")
    plan = view["plan"]
    lines += ["", f"Plan: {plan['total_units']:g} U"]
    width = max([32, *(len(line["zone_label"]) for line in plan["lines"])])  # long names: one column still
    for line in plan["lines"]:
        dose = f"{line['points']} x {line['units_per_point']:g} U = {line['units']:g} U"
        lines.append(f"  {line['zone_label']:{width}} {line['side']:6} {dose}")
    for reason in plan["reasons"]:
        lines.append(f"  {plan['status'].upper()}: {reason['message']}")
    consent = view.get("consent")
    if consent:
        photos = "photos agreed" if consent["photos"] else "no photos"
        lines += [
            "",
            f"Consent: form '{safe(consent['form'])}' version {safe(consent['version'])}, signed "
            f"{_when(consent['at'])}, witness {safe(consent['witness'])}, {photos}",
        ]
    if view["given"]:
        lines += ["", f"Given by {safe(view['given_by'])} at {_when(view['given_at'])}:"]
        for line in view["given"]:
            lot = _lots(line, safe)
            differs = f"  DIFFERS from the plan: {safe(line['reason'])}" if line["differs_from_plan"] else ""
            lines.append(
                f"  {line['zone']:14} {line['side']:6} {line['units']:g} U in {line['points']} points{lot}{differs}"
            )
        override = view.get("override")
        if override:
            role = override["role"].replace("_", " ")
            lines.append(
                f"  PAST A LIMIT, overridden by {safe(override['by'])} ({role}) at {_when(override['at'])}: "
                f"{safe(override['reason'])}"
            )
            lines += [f"    {safe(breach['message'])}" for breach in override["breaches"]]
    lines += [""]
    if view["signatures"]:
        lines.append("Signatures:")
        for s in view["signatures"]:
            role = s["role"].replace("_", " ")
            lines.append(f"  {safe(s['name'])} ({role}), {_when(s['at'])}: {safe(s['meaning'])}")
        if view["awaiting_cosign"]:
            lines.append("  Waiting for a medical director's co-signature.")
    else:
        lines.append("NOT SIGNED")
    for review in view.get("reviews", ()):
        lines.append(
            f"Reviewed on {_when(review['at'])} by {safe(review['by'])}, satisfaction {review['satisfaction']}/5:"
        )
        for finding in review["findings"]:
            side = f", {finding['stronger_side']} side stronger" if finding["stronger_side"] else ""
            lines.append(f"  {finding['zone']}: effect {finding['effect']}{side}")
        for event in review["adverse_events"]:
            serious = "  SERIOUS" if event["severity"] == "serious" else ""
            lines.append(f"  adverse event: {event['event']} ({event['severity']}){serious}")
    for amendment in view["amendments"]:
        lines.append(
            f"Amended on {_when(amendment['at'])} by {safe(amendment['by'])}: {safe(amendment['reason'])} "
            f"(version {amendment['version']}: {safe(amendment['change'])})"
        )
    if view.get("photos"):
        shown = (f"{p['kind']} {p['sha256'][:12]} ({_when(p['at'])})" for p in view["photos"])
        lines.append("Photos: " + ", ".join(shown))
    return "\n".join(lines) + "\n"
