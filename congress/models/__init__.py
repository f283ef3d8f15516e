from congress.models.accounts import Department, DepartmentKind, Role, RoleGrant, User
from congress.models.audit import AuditAction, AuditEvent
from congress.models.health import Heartbeat
from congress.models.loop import (
    OPEN_STATUSES,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    CaseEvent,
    EventAttachment,
    HolidayOverride,
    Reminder,
    ReminderPolicy,
)
from congress.models.notifications import (
    Channel,
    Delivery,
    DeliveryMode,
    DeliveryStatus,
    Notification,
    NotificationPreference,
)
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
    "OPEN_STATUSES",
    "Assignment",
    "AssignmentRole",
    "AssignmentStatus",
    "AuditAction",
    "AuditEvent",
    "CaseEvent",
    "Channel",
    "Congress",
    "CongressLevel",
    "Delivery",
    "DeliveryMode",
    "DeliveryStatus",
    "Department",
    "DepartmentKind",
    "EventAttachment",
    "Heartbeat",
    "HolidayOverride",
    "Notification",
    "NotificationPreference",
    "Region",
    "RegionLevel",
    "Reminder",
    "ReminderPolicy",
    "Role",
    "RoleGrant",
    "Session",
    "SessionKind",
    "Term",
    "User",
]
