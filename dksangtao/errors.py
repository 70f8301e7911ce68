class ActionRefused(Exception):
    """A business rule refused the action; the message is for the person, in their language. Every
    app's services raise this one class, so a page calling several apps catches them all."""
