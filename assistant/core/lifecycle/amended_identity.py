"""Whose a kept consult is does not change by amending its name.

A consult linked to a registered patient carries her name as the register writes it
(``register.linked_name``). A tryout amended one consult's name to another patient's: her sheet then
said "Dear Park Hye-jin" above Kim Ji-woo's number and date of birth, and ``history "Park Hye-jin"``
listed it, while the register and the chart still said Kim Ji-woo. An amendment may still correct a
date of birth or a clinic number typed wrong (a number another patient holds is refused as before);
the name stays the register's. A consult for another person is a consult of its own. Pure.
"""

from __future__ import annotations

from assistant.core.lifecycle.register_entry import Patient


def renamed(patient: Patient, name: str) -> str | None:
    """Why amended answers may not name the patient of register entry ``patient`` ``name`` (an
    amendment that changes the name), or None when that is the entry's own spelling."""
    if patient.legacy or name == patient.name:
        return None  # consults kept before the register have no entry to hold them to
    return (
        f"the register names her {patient.words()}, and the answers amended name {name}. An "
        "amendment does not change whose consult it is: a consult for another person is a consult of its own."
    )
