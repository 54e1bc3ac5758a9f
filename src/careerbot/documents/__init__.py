"""Documents: the files of a corpus, read into profiles."""

from careerbot.documents.limits import Budget, ReadLimits
from careerbot.documents.reader import DOCUMENT_SUFFIXES, find_documents, read_profile, source_name

__all__ = ["DOCUMENT_SUFFIXES", "Budget", "ReadLimits", "find_documents", "read_profile", "source_name"]
