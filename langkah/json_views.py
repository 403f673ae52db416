"""The stable JSON of `langkah show --json` and `langkah status --json` (docs/cli-json.md)."""

from __future__ import annotations

from typing import Any

from langkah.engine.events import verification_code
from langkah.engine.signers import KEPALA, PENANGGUNG_JAWAB
from langkah.engine.timing import StepTiming
from langkah.messages import Text
from langkah.views import CycleView, OverviewRow

JSON_SCHEMA = 1


def english(text: Text | None) -> str | None:
    """A message in JSON: its English text (JSON output is machine-readable and stays in one
    language, whichever the person chose)."""
    return None if text is None else text.message("en")


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _round(value: float | None) -> float | None:
    return round(value, 2) if value is not None else None


def timing_json(t: StepTiming | None) -> dict[str, Any] | None:
    if t is None:
        return None
    return {
        "standard": t.standard.text,
        "kind": t.standard.kind.value,
        "standard_minutes": _round(t.standard_minutes),
        "elapsed_minutes": _round(t.elapsed_minutes),
        "wall_minutes": _round(t.wall_minutes),
        "paused_minutes": _round(t.paused_minutes),
        "due": _iso(t.due),
        "remaining_minutes": _round(t.remaining_minutes),
        "overdue_minutes": _round(t.overdue_minutes),
        "status": t.status.value,
    }


def cycle_json(view: CycleView, with_events: list[Any] | None = None) -> dict[str, Any]:
    d, s = view.definition, view.state
    current = None
    step = view.current_step
    if step is not None:
        values = s.visits[-1].inputs
        missing = {spec.id for spec in view.missing}
        current = {
            "step": step.number,
            "activity": step.activity,
            "symbol": step.symbol.value,
            "actors": [
                {
                    "id": a,
                    "title": d.actor(a).title,
                    "holder": s.roles[a].name if a in s.roles else "",
                }
                for a in step.actors
            ],
            "inputs": [
                {
                    "id": spec.id,
                    "label": spec.label,
                    "type": spec.type.value,
                    "required": spec.required,
                    "choices": list(spec.choices),
                    "value": values.get(spec.id),
                    "missing": spec.id in missing,
                }
                for spec in step.inputs
            ],
            "output": step.output,
            "remarks": step.remarks,
            "decision": step.decision.model_dump() if step.decision else None,
            "time": timing_json(view.current_timing),
        }
    history = []
    for visit, t in zip(s.visits, view.timing.visits, strict=True):
        history.append(
            {
                "step": visit.step,
                "round": visit.round,
                "started_at": _iso(visit.started_at),
                "ended_at": _iso(visit.ended_at),
                "outcome": visit.outcome.value if visit.outcome else None,
                "reason": visit.reason,
                "inputs": visit.inputs,
                "notes": [{"text": n.text, "at": _iso(n.at), "by": n.by} for n in visit.notes],
                "pauses": [
                    {"start": _iso(p.start), "end": _iso(p.end), "reason": p.reason}
                    for p in visit.pauses
                ],
                "time": timing_json(t),
            }
        )
    result = {
        "schema": JSON_SCHEMA,
        "cycle_id": s.cycle_id,
        "sop_id": s.sop_id,
        "definition_version": s.definition_version,
        "integrity_problem": english(view.integrity_problem),
        "read_only": view.read_only,
        "verification_code": verification_code(view.log_head) if view.log_head else None,
        "kecamatan": d.identity.office.name,
        "unit": d.identity.office.unit_label,
        "sop_name": d.identity.name,
        "period": s.period,
        "period_label": view.period.label("id"),
        "status": s.status.value,
        "version": s.version,
        "started_at": _iso(s.started_at),
        "started_by": s.started_by,
        "ended_at": _iso(s.ended_at),
        "end_reason": s.end_reason,
        "roles": {
            a.id: {
                "title": a.title,
                **(
                    s.roles[a.id].model_dump()
                    if a.id in s.roles
                    else {"name": "", "nip": "", "rank": ""}
                ),
            }
            for a in d.actors
        },
        "signers": {
            role: {
                "title": title,
                **(
                    s.roles[role].model_dump()
                    if role in s.roles
                    else {"name": "", "nip": "", "rank": ""}
                ),
            }
            for role, title in (
                (KEPALA, d.identity.office.head_label),
                (PENANGGUNG_JAWAB, "Penanggung jawab"),
            )
        },
        "current": current,
        "allowed_actions": sorted(a.value for a in view.allowed),
        "returns": {str(k): v for k, v in s.returns.items()},
        "totals": {
            "elapsed_minutes": _round(view.timing.elapsed_minutes),
            "standard_minutes": _round(view.timing.standard_minutes),
            "wall_minutes": _round(view.timing.wall_minutes),
            "steps_on_time": view.timing.on_time,
            "steps_overdue": view.timing.overdue,
        },
        "holiday_data": {
            "last_year": view.holiday_last_year,
            "uncovered_years": view.uncovered_years,
        },
        "history": history,
        "notes": [
            {"text": n.text, "at": _iso(n.at), "by": n.by, "step": n.step} for n in s.cycle_notes
        ],
    }
    if with_events is not None:
        result["events"] = [e.to_json() for e in with_events]
    return result


def overview_row_json(row: OverviewRow) -> dict[str, Any]:
    t = row.timing
    return {
        "cycle_id": row.cycle_id,
        "sop_id": row.sop_id,
        "kecamatan": row.kecamatan,
        "sop_name": row.sop_name,
        "period": row.period,
        "status": row.status.value,
        "current_step": row.current_step,
        "activity": row.step_activity,
        "actors": row.actors,
        "holders": row.holders,
        "returns": row.returns,
        "started_at": _iso(row.started_at),
        "ended_at": _iso(row.ended_at),
        "definition_version": row.definition_version,
        "uncovered_years": row.uncovered_years,
        "integrity_problem": english(row.integrity_problem),
        "read_only": row.integrity_problem is not None,
        "time": timing_json(t),
    }
