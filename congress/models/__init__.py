from congress.models.accounts import Department, DepartmentKind, Role, RoleGrant, User
from congress.models.audit import AuditAction, AuditEvent
from congress.models.regions import (
    Congress,
    CongressLevel,
    Region,
    RegionLevel,
    Session,
    SessionKind,
    Term,
)

__all__ = [
    "AuditAction",
    "AuditEvent",
    "Congress",
    "CongressLevel",
    "Department",
    "DepartmentKind",
    "Region",
    "RegionLevel",
    "Role",
    "RoleGrant",
    "Session",
    "SessionKind",
    "Term",
    "User",
]
