"""The service layer: every write goes through a `verb_noun(actor, ...)` function here."""
