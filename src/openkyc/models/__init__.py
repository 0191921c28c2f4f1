"""Every ORM table, one module per aggregate. Importing this package registers them all."""

import openkyc.models.aml  # noqa: F401  (registers the AML tables)
from openkyc.models.app import AdminToken, ApiKey, App
from openkyc.models.applicant import Applicant
from openkyc.models.credential import (  # SynapseFI-style gateway and user credentials
    GatewayClient,
    Subscription,
    UserAccount,
    UserDevice,
    UserToken,
)
from openkyc.models.event import Event
from openkyc.models.face import FaceEmbedding, IdentifierHash
from openkyc.models.file import File
from openkyc.models.review import Decision
from openkyc.models.session import Session
from openkyc.models.step import Attempt, OneTimeCode, Step
from openkyc.models.user import User
from openkyc.models.verification import IdempotencyKey, Verification
from openkyc.models.webhook import Delivery, Endpoint

__all__ = [
    "AdminToken",
    "ApiKey",
    "App",
    "Applicant",
    "Attempt",
    "Decision",
    "Delivery",
    "Endpoint",
    "Event",
    "FaceEmbedding",
    "File",
    "GatewayClient",
    "IdempotencyKey",
    "IdentifierHash",
    "OneTimeCode",
    "Session",
    "Step",
    "Subscription",
    "User",
    "UserAccount",
    "UserDevice",
    "UserToken",
    "Verification",
]
