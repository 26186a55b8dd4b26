"""The plain objects the app builds once and hands to the screens that need them.

None is a Textual class and none imports a screen: they ask people through ``tui/dialogs.py`` and
tell screens through the messages of ``tui/messages.py``. Each gets what it works with in its
constructor (see ``app.py``, the composition root), so a change to one is read in one file.
"""
