"""Errors a user should see as a message, as opposed to bugs."""


class UserError(Exception):
    """Bad input, a broken environment or a remote refusal: shown to the user as a message.

    The text must say what went wrong and, where it can, what to do about it. It never carries
    a secret.
    """
