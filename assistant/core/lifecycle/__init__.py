"""The consult record's own rules, pure: what a record holds, who may do what, which state follows
which, what an amendment changes, and how the audit trail is chained.

A consult is kept as a list of versions, each a whole ``ConsultRecord``; nothing is ever written
over. Its state moves one way: ``planned`` -> ``given`` (an injector records the doses injected)
-> ``signed`` (locked). A change before signing is a new version of the same consult; a change
after signing is an amendment, with its reason, and the original stays readable.

No I/O and no clock here: stores keep the versions, services read the clock and pass ``at`` in.
"""
