"""The portal's domain error: raised by services, shown as a form error on
pages and mapped to an HTTP status in the API."""


class DomainError(Exception):
    """A business rule refused the action. ``status`` is the HTTP status it maps to."""

    status = 400

    def __init__(self, message, *, code: str = "invalid", status: int | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        if status is not None:
            self.status = status


class NotAllowed(DomainError):
    status = 403


class Conflict(DomainError):
    status = 409
