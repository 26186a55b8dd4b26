"""What an amendment of a given consult's answers must say before it is signed: that the answers
now contraindicate the treatment already injected.

Answers are amended after the fact when something is learnt late (a pregnancy, a neuromuscular
disorder). The plan made again from them is contraindicated, yet the doses recorded as given stay
on the record as given: an amendment never removes what was injected. A tryout amended a given
consult's answers to "pregnant" and was told only "Amended", as for a typo.
"""

from __future__ import annotations

from assistant.core.lifecycle.record import ConsultRecord
from assistant.core.plan import Plan


def contraindicated_after_giving(record: ConsultRecord, plan: Plan) -> str | None:
    """The sentence to show beside the amendment, or None when the new plan is not contraindicated or
    nothing was given."""
    if plan.status != "contraindicated" or record.given is None:
        return None
    reasons = "; ".join(reason.message for reason in plan.reasons)
    given = record.given
    return (
        f"With these answers the patient is contraindicated ({reasons}), and {given.total_units:g} U were "
        f"recorded as given by {given.by}: those doses stay on the record as given."
    )
