from .profiles import WorkerProfile
from .roles import RoleAssignment
from .sign_in import ApiToken, PhoneCode
from .users import User

__all__ = ["ApiToken", "PhoneCode", "RoleAssignment", "User", "WorkerProfile"]
