"""Pure functions from the core's state to Synaps' v4 payloads."""

from __future__ import annotations

from typing import Any

FileDoc = dict[str, Any]


def session_details(app: Any, session: Any, steps: list[Any]) -> dict[str, Any]:
    return {
        "app": {"name": app.name, "id": app.id},
        "session": {
            "alias": session.alias,
            "id": session.id,
            "status": session.status,
            "sandbox": session.sandbox,
            "steps": [{"id": s.id, "status": s.status, "type": s.type} for s in steps],
        },
    }


EMPTY_METADATA = {
    "ip": "",
    "user_agent": "",
    "platform": "",
    "browser_name": "",
    "browser_version": "",
    "device": "",
    "customer_language": "",
}


def common(step: Any, reason: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "id": step.id,
        "type": step.type,
        "metadata": {**EMPTY_METADATA, **(step.client or {})},
        "status": step.status,
        "reason": reason,
    }


def _pick(files: dict[str, FileDoc], *kinds: str) -> dict[str, FileDoc]:
    return {k: files[k] for k in kinds if k in files}


def type_payload(
    step_type: str,
    submission: dict[str, Any],
    evidence: dict[str, Any],
    files: dict[str, FileDoc],
    processed: dict[str, FileDoc],
) -> dict[str, Any]:
    """The type's own part. `files` are the uploads, `processed` what checks produced."""
    fields = evidence.get("fields", {})
    if step_type == "PHONE":
        return {
            "verification": {
                "phone": {
                    "number": submission.get("number", ""),
                    "calling_code": submission.get("calling_code", ""),
                    "method": submission.get("method") or "sms",
                    "country": submission.get("country", ""),
                }
            }
        }
    if step_type == "EMAIL":
        return {"verification": {"email": {"value": submission.get("value", "")}}}
    if step_type == "ID_DOCUMENT":
        return {
            "document": {
                "country": evidence.get("country") or submission.get("country", ""),
                "type": submission.get("document_type", ""),
                "fields": fields,
                "files": {**_pick(files, "front", "back"), **processed},
                "original_files": _pick(files, "front", "back"),
            }
        }
    if step_type == "PVID":
        return {
            "document": {
                "country": submission.get("country", ""),
                "type": submission.get("document_type", ""),
                "face": processed.get("face") or files.get("face"),
                "files": _pick(files, "front", "back"),
                "fields": fields,
            }
        }
    if step_type == "LIVENESS":
        best = processed.get("liveness") or files.get("selfie")
        return {"verification": {"liveness": {"file": best}}}
    if step_type == "PROOF_OF_ADDRESS":
        originals = {
            "proof": files.get("document"),
            "accomodation": files.get("accomodation_proof"),
        }
        originals = {k: v for k, v in originals.items() if v}
        document: dict[str, Any] = {
            "country": submission.get("country", ""),
            "type": submission.get("document_type", ""),
            "files": {**originals, **processed},
            "original_files": originals,
            "fields": {  # what the document says; what was declared until it is read
                "address": fields.get("address") or submission.get("address", ""),
                "city": fields.get("city") or submission.get("city", ""),
                "zipcode": fields.get("zipcode") or submission.get("zip_code", ""),
                "issuing_date": fields.get("issuing_date", ""),
            },
        }
        if submission.get("host_id_document_type"):  # only for a proof of accommodation
            host_files = {
                side: files[kind]
                for side, kind in (
                    ("front", "host_id_front_document"),
                    ("back", "host_id_back_document"),
                )
                if kind in files
            }
            document["host_id_document"] = {
                "type": submission.get("host_id_document_type", ""),
                "country": submission.get("host_id_document_country", ""),
                "files": host_files,
                "fields": (evidence.get("host") or {}).get("fields", {}),
            }
        return {"document": document}
    if step_type == "AML":
        return {
            "verification": {
                "aml": {
                    "customer_info": evidence.get("customer_info", {}),
                    "hits": evidence.get("hits", []),
                    "total_hits": len(evidence.get("hits", [])),
                    "action_required": bool(evidence.get("action_required", False)),
                    "monitored": bool(evidence.get("monitored", False)),
                }
            }
        }
    if step_type == "DUPLICATE":
        face = processed.get("face")
        return {
            "verification": {
                "duplicate": {
                    "face": face["url"] if face else "",
                    "matches": [duplicate_match(m, processed) for m in evidence.get("matches", [])],
                }
            }
        }
    return {}


def duplicate_match(match: dict[str, Any], processed: dict[str, FileDoc]) -> dict[str, Any]:
    """A match as the seed shows it; its face is a copy the check stored on this step."""
    face = processed.get(match.get("face_file") or "")
    return {
        "face": face["url"] if face else "",
        "session_id": match.get("session_id", ""),
        "similarity_score": match.get("similarity_score", 0.0),
    }
