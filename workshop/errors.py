"""The errors a page may show to a person: each carries a catalogue key, never raw English."""


class WorkshopError(Exception):
    "Base class for errors shown to users, translated through the i18n catalogue"

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self, lang: str = "fr") -> str:
        """The error in the workshop's language."""
        from workshop.i18n import t

        return t(self.key, lang, **self.params)

    def __str__(self) -> str:
        return self.message("en")


class InvalidInput(WorkshopError):
    "Submitted value failed validation"


class NotFound(WorkshopError):
    "A workshop, participant or row that does not exist (or not for this caller)"


class AccessDenied(WorkshopError):
    "Wrong token, blocked participant, or another workshop's data"


class RoundClosed(WorkshopError):
    "The round that accepts this write is closed, or joining is locked"


class StorageError(WorkshopError):
    "The database could not take the write (locked too long, disk full, read-only)"


class ImportRefused(WorkshopError):
    "A bundle that cannot be imported"


class SlowDown(AccessDenied):
    "Too many failed attempts from this client: the next one is not even checked yet"
