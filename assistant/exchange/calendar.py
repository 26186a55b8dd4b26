"""Who is due, as an iCalendar file (RFC 5545) a calendar program opens: one all-day event per entry."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event

from assistant.core.lifecycle.tracing import DueEntry

SUMMARY = {"review": "Review", "touch_up": "Touch-up window", "retreatment": "Retreatment due"}


def due_calendar(entries: list[DueEntry], stamp: dt.datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//botulax-consult//due//EN")
    calendar.add("version", "2.0")
    for entry in entries:
        event = Event()
        who = entry.patient_name + (f" ({entry.patient_id})" if entry.patient_id else "")
        event.add("uid", f"{entry.consult_id}-{entry.reason}@botulax-consult")
        event.add("dtstamp", stamp)
        event.add("summary", f"{SUMMARY[entry.reason]}: {who}")
        event.add("dtstart", entry.date)
        event.add("dtend", (entry.until or entry.date) + dt.timedelta(days=1))
        event.add("description", f"{entry.detail}. Zones: {', '.join(entry.zones)}. Consult {entry.consult_id}.")
        event.add("categories", [entry.reason])
        calendar.add_component(event)
    return calendar.to_ical()
