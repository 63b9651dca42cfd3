"""Typed exceptions: every bad input maps to one of these, with a one-line message."""


class AssistantError(Exception):
    """Base class for errors meant to be shown to a user as one line."""


class InvalidQuestionError(AssistantError, ValueError):
    """Empty, too long or otherwise unusable question."""


class InvalidDocumentError(AssistantError, ValueError):
    """Empty, binary, non-UTF-8 or unsupported document."""


class UrlFetchError(InvalidDocumentError):
    """A link that gave no article: refused address, not found, timeout, too large, not HTML."""


class DocumentNotFoundError(AssistantError, KeyError):
    """Unknown document id."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else "document not found"


class BrokenIndexError(AssistantError):
    """The index directory is not an index, or the index is broken."""


class OldIndexError(BrokenIndexError):
    """The index was written in a layout this version no longer reads: rebuild it."""


class StoreUnavailableError(AssistantError):
    """The Chroma server cannot be reached."""


class InvalidRequestError(AssistantError, ValueError):
    """A malformed argument: history or doc_ids of the wrong shape."""


class InvalidSettingError(AssistantError, ValueError):
    """A setting (argument or ASSISTANT_* variable) outside its bounds or of the wrong type."""


class FeedbackError(AssistantError, ValueError):
    """Feedback that cannot be saved: an unknown verdict, a passage not in the documents, a reply
    already rated, a record over the size cap."""
