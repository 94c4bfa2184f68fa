"""All models, importable from one place (and seen by Alembic autogenerate)."""
from .accounts import ORG_KINDS, ROLES, ApiToken, LoginFailure, Organisation, User, hash_token
from .assessments import (
    CONFIDENCE_LEVELS, EVIDENCE_TYPES, Answer, Assessment,
    EvidenceEntry, QuestionnaireVersion,
)
from .attachments import Attachment
from .audit import AuditEntry
from .files import ReportFile
from .contributors import CONTRIBUTOR_ROLES, Contributor, Rating
from .review import REVIEW_ACTIONS, Comment, ImmutableError, ReviewEvent, Submission

__all__ = [
    "ORG_KINDS", "ROLES", "ApiToken", "LoginFailure", "Organisation", "User", "hash_token",
    "CONFIDENCE_LEVELS", "EVIDENCE_TYPES", "Answer", "Assessment",
    "EvidenceEntry", "QuestionnaireVersion", "AuditEntry", "REVIEW_ACTIONS", "Comment",
    "ImmutableError", "ReviewEvent", "Submission", "ReportFile", "CONTRIBUTOR_ROLES", "Contributor", "Rating",
    "Attachment",
]
