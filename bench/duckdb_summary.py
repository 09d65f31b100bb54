#!/usr/bin/env python3
"""The SPEC §5 figures of an export, computed independently with DuckDB.

Two uses, both from bench/run.sh:
  * the reference for timing `transparency-report build` on the same CSV, in the same run;
  * a differential check: `--compare summary.json` exits 1 if any figure differs from ours
    (floats compared at the published precision, 4 decimals).

Only the ALA default taxonomy of src/config/presets/ala.toml is supported, with the settings of
the given report.toml (timezone, period year or start/end, business days, holidays,
ack target, appealable levels, appeal window). Requires `pip install duckdb`.
"""

import argparse
import datetime as dt
import json
import sys
import tomllib
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
REPORTER_TYPES = ["named", "anonymous", "moderator"]
APPEAL_OUTCOMES = ["upheld", "overturned", "modified", "withdrawn", "pending"]
BINS = [("0-1", 0, 1), ("1-7", 1, 7), ("7-30", 7, 30), ("30-90", 30, 90), ("90+", 90, None)]
WEEKDAYS = {"mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7}
TS = "TIMESTAMPTZ"
COLUMNS = {
    "case_id": "VARCHAR",
    "reported_at": TS,
    "platform": "VARCHAR",
    "category": "VARCHAR",
    "moderation_level": "VARCHAR",
    "reporter_type": "VARCHAR",
    "action": "VARCHAR",
    "suspension_days": "BIGINT",
    "interim_suspension": "VARCHAR",
    "acknowledged_at": TS,
    "resolved_at": TS,
    "decision_communicated_at": TS,
    "appeal_filed_at": TS,
    "appeal_decided_at": TS,
    "appeal_outcome": "VARCHAR",
    "incident_id": "VARCHAR",
}


def q(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def settings(config_path: Path) -> dict:
    cfg = tomllib.loads(config_path.read_text())
    period = cfg.get("period", {})
    if "year" in period:
        start, end = dt.date(period["year"], 1, 1), dt.date(period["year"], 12, 31)
    else:
        start, end = period["start"], period["end"]
    days = cfg.get("business_days", ["mon", "tue", "wed", "thu", "fri"])
    return {
        "timezone": cfg.get("timezone", "America/Chicago"),
        "start": start,
        "end": end,
        "weekdays": sorted(WEEKDAYS[d.strip().lower()[:3]] for d in days),
        "holidays": [str(h) for h in cfg.get("holidays", [])],
        "ack_n": cfg.get("ack_target_business_days", 1),
        "appealable": [lv.upper() for lv in cfg.get("appealable_levels", ["D"])],
        "window": cfg.get("appeal_window_days", 60),
    }


def summarise(csv: Path, s: dict, threads: int) -> dict:
    tax = tomllib.loads((ROOT / "src/config/presets/ala.toml").read_text())["taxonomy"]
    platforms = [p["key"] for p in tax["platforms"]]
    categories = [(c["key"], c["group"]) for c in tax["categories"]]
    groups = [g["key"] for g in tax["category_groups"]]
    levels = [lv["key"] for lv in tax["levels"]]
    actions = [a["key"] for a in tax["actions"]]

    con = duckdb.connect()
    con.execute(f"SET threads = {threads}")
    con.execute(f"SET TimeZone = {q(s['timezone'])}")
    start, end = f"DATE '{s['start']}'", f"DATE '{s['end']}'"
    with csv.open(encoding="utf-8") as f:
        header = [h.strip().lower() for h in f.readline().split(",")]
    has_incidents = "incident_id" in header
    columns = {k: v for k, v in COLUMNS.items() if k != "incident_id" or has_incidents}
    cols = "{" + ", ".join(f"{q(k)}: {q(v)}" for k, v in columns.items()) + "}"
    # A report without an incident id is an incident of its own (a key no id can be).
    incident = (
        "coalesce(NULLIF(trim(incident_id), ''), chr(0) || CAST(row_number() OVER () AS VARCHAR))"
        if has_incidents
        else "NULL"
    )
    norm = lambda c: f"NULLIF(lower(trim({c})), '')"  # noqa: E731
    # One scan of the CSV: every row with its derived columns, materialised once.
    con.execute(
        f"""
        CREATE TEMP TABLE a AS
        SELECT
            CAST(reported_at AS DATE) AS rday,
            {norm('platform')} AS platform,
            upper(NULLIF(trim(moderation_level), '')) AS level,
            {norm('reporter_type')} AS reporter,
            {norm('action')} AS action,
            suspension_days AS sdays,
            coalesce(lower(trim(interim_suspension)) IN ('yes', 'true'), false) AS interim,
            epoch(acknowledged_at) - epoch(reported_at) AS ack_secs,
            CAST(acknowledged_at AS DATE) AS ack_day,
            epoch(resolved_at) - epoch(reported_at) AS res_secs,
            CAST(resolved_at AS DATE) AS res_day,
            CAST(decision_communicated_at AS DATE) AS comm_day,
            CAST(appeal_filed_at AS DATE) AS filed_day,
            epoch(appeal_decided_at) - epoch(appeal_filed_at) AS appeal_secs,
            CASE WHEN appeal_filed_at IS NOT NULL
                 THEN coalesce({norm('appeal_outcome')}, 'pending') END AS outcome,
            list_distinct(list_filter(list_transform(string_split(category, ';'),
                                                     lambda x: lower(trim(x))), lambda x: x <> '')) AS cats,
            {incident} AS inc
        FROM read_csv({q(str(csv))}, header = true, delim = ',', quote = '"',
                      auto_detect = false, columns = {cols})
        """
    )
    rows_read = con.execute("SELECT count(*) FROM a").fetchone()[0]
    con.execute(f"CREATE TEMP VIEW c AS SELECT * FROM a WHERE rday BETWEEN {start} AND {end}")
    # Business-day calendar: due = the n-th business day after the local report date.
    # `d NOT IN (NULL)` is never true: with no holidays the condition is left out.
    holidays = ", ".join(f"DATE '{h}'" for h in s["holidays"])
    not_holiday = f"AND d NOT IN ({holidays})" if holidays else ""
    weekdays = ", ".join(str(d) for d in s["weekdays"])
    n = s["ack_n"]
    con.execute(
        f"""
        CREATE TEMP TABLE cal AS
        WITH days AS (
            SELECT CAST(d AS DATE) AS d
            FROM range({start} - INTERVAL 1 DAY, {end} + INTERVAL {n * 3 + 60} DAY, INTERVAL 1 DAY) t(d)),
        b AS (SELECT d, isodow(d) IN ({weekdays}) {not_holiday} AS biz FROM days),
        k AS (SELECT d, biz, sum(CAST(biz AS INTEGER)) OVER (ORDER BY d) AS k FROM b)
        SELECT a.d AS day,
               CASE WHEN {n} = 0 THEN a.d ELSE (SELECT min(x.d) FROM k x WHERE x.biz AND x.k = a.k + {n}) END AS due
        FROM k a
        """
    )
    one = con.execute(
        f"""
        SELECT
            count(*) AS total,
            count(*) FILTER (res_day IS NULL OR res_day > {end}) AS open,
            count(*) FILTER (action = 'temporary_suspension') AS temporary,
            count(*) FILTER (action = 'full_suspension') AS full_,
            count(*) FILTER (interim) AS interim,
            median(CAST(sdays AS DOUBLE)) AS sdays_median,
            count(res_secs) AS res_n,
            median(res_secs) / 86400 AS res_median,
            quantile_cont(res_secs, 0.9) / 86400 AS res_p90,
            avg(res_secs) / 86400 AS res_mean,
            {", ".join(
                f"count(*) FILTER (res_secs >= {lo * 86400}"
                + (f" AND res_secs < {hi * 86400}" if hi else "")
                + f") AS bin{i}"
                for i, (_, lo, hi) in enumerate(BINS))},
            count(*) FILTER (ack_day <= cal.due) AS ack_met,
            median(ack_secs) / 3600 AS ack_median,
            count(filed_day) AS filed,
            count(*) FILTER (filed_day IS NOT NULL AND level IN ({", ".join(q(x) for x in s["appealable"])})) AS eligible,
            count(*) FILTER (filed_day - comm_day <= {s["window"]}) AS timely,
            count(*) FILTER (filed_day - comm_day > {s["window"]}) AS late,
            count(*) FILTER (filed_day IS NOT NULL AND comm_day IS NULL) AS window_unknown,
            median(appeal_secs) / 86400 AS appeal_median
        FROM c LEFT JOIN cal ON cal.day = c.rday
        """
    )
    names = [d[0] for d in one.description]
    g = dict(zip(names, one.fetchone()))

    def counts(sql: str) -> dict:
        return {(k if k is not None else None): v for k, v in con.execute(sql).fetchall()}

    def keyed(found: dict, keys: list, unassigned: bool) -> dict:
        out = {k: found.get(k.lower() if k.islower() else k, 0) for k in keys}
        if unassigned:
            out["unassigned"] = found.get(None, 0)
        return out

    by = lambda col: counts(f"SELECT {col}, count(*) FROM c GROUP BY 1")  # noqa: E731
    by_outcome = counts("SELECT outcome, count(*) FROM c WHERE filed_day IS NOT NULL GROUP BY 1")
    by_category = counts("SELECT x, count(*) FROM (SELECT unnest(cats) AS x FROM c) GROUP BY 1")
    by_group = con.execute(
        "SELECT "
        + ", ".join(
            f"count(*) FILTER (list_has_any(cats, [{', '.join(q(k) for k, g_ in categories if g_ == g)}]))"
            for g in groups
        )
        + " FROM c"
    ).fetchone()
    by_group = dict(zip(groups, by_group))
    lv = con.execute(
        """SELECT level, count(*), median(res_secs) / 86400, quantile_cont(res_secs, 0.9) / 86400
           FROM c WHERE res_secs IS NOT NULL GROUP BY 1"""
    ).fetchall()
    lv = {k: (n_, med, p90) for k, n_, med, p90 in lv}
    rep_m = counts("SELECT strftime(rday, '%Y-%m'), count(*) FROM c GROUP BY 1")
    res_m = counts(
        f"SELECT strftime(res_day, '%Y-%m'), count(*) FROM c WHERE res_day <= {end} GROUP BY 1"
    )
    months = []
    y, m = s["start"].year, s["start"].month
    while (y, m) <= (s["end"].year, s["end"].month):
        key = f"{y:04d}-{m:02d}"
        months.append({"month": key, "reported": rep_m.get(key, 0), "resolved": res_m.get(key, 0)})
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)

    total, filed = g["total"], g["filed"]
    o = keyed(by_outcome, APPEAL_OUTCOMES, False)
    decided = o["upheld"] + o["overturned"] + o["modified"]
    rate = lambda a, b: (a / b if b else None)  # noqa: E731
    incidents = None
    if has_incidents:
        inc_cat = counts(
            "SELECT x, count(DISTINCT inc) FROM (SELECT unnest(cats) AS x, inc FROM c) GROUP BY 1"
        )
        inc_grp = con.execute(
            "SELECT "
            + ", ".join(
                f"count(DISTINCT inc) FILTER (list_has_any(cats, [{', '.join(q(k) for k, g_ in categories if g_ == g)}]))"
                for g in groups
            )
            + " FROM c"
        ).fetchone()
        incidents = {
            "reports": total,
            "incidents": con.execute("SELECT count(DISTINCT inc) FROM c").fetchone()[0],
            "by_category": keyed(inc_cat, [k for k, _ in categories], False),
            "by_category_group": keyed(dict(zip(groups, inc_grp)), groups, False),
        }
    return {
        "incidents": incidents,
        "rows": {
            "read": rows_read,
            "counted": rows_read,
            "rejected": 0,
            "outside_period": rows_read - total,
        },
        "cases": {"total": total, "resolved": total - g["open"], "open_at_period_end": g["open"]},
        "by_platform": keyed(by("platform"), platforms, False),
        "by_moderation_level": keyed(by("level"), levels, True),
        "by_category": keyed(by_category, [k for k, _ in categories], False),
        "by_category_group": keyed(by_group, groups, False),
        "by_action": keyed(by("action"), actions, True),
        "by_reporter_type": keyed(by("reporter"), REPORTER_TYPES, True),
        "suspensions": {
            "temporary": g["temporary"],
            "full": g["full_"],
            "interim": g["interim"],
            "median_days": g["sdays_median"],
        },
        "resolution_days": {
            "count": g["res_n"],
            "median": g["res_median"],
            "p90": g["res_p90"],
            "mean": g["res_mean"],
            "by_moderation_level": {
                k: dict(zip(("count", "median", "p90"), lv.get(k, (0, None, None)))) for k in levels
            },
            "histogram": {name: g[f"bin{i}"] for i, (name, _, _) in enumerate(BINS)},
        },
        "acknowledgement": {
            "met": g["ack_met"],
            "rate": rate(g["ack_met"], total),
            "median_hours": g["ack_median"],
        },
        "appeals": {
            "filed": filed,
            "by_outcome": o,
            "eligible": g["eligible"],
            "not_eligible": filed - g["eligible"],
            "timely": g["timely"],
            "late": g["late"],
            "window_unknown": g["window_unknown"],
            "reversal_rate": rate(o["overturned"] + o["modified"], decided),
            "median_days_to_decision": g["appeal_median"],
        },
        "monthly": months,
    }


def differences(ours, theirs, path="") -> list:
    """Every figure of `theirs` (DuckDB) that `ours` (summary.json) does not match."""
    out = []
    if isinstance(theirs, dict):
        for k, v in theirs.items():
            if not isinstance(ours, dict) or k not in ours:
                out.append(f"{path}.{k}: missing in summary.json")
            else:
                out += differences(ours[k], v, f"{path}.{k}")
    elif isinstance(theirs, list):
        if not isinstance(ours, list) or len(ours) != len(theirs):
            out.append(f"{path}: {len(theirs)} entries in DuckDB, other in summary.json")
        else:
            for i, (a, b) in enumerate(zip(ours, theirs)):
                out += differences(a, b, f"{path}[{i}]")
    elif isinstance(theirs, float) or isinstance(ours, float):
        # Ours is theirs at the published precision; a value on a rounding edge (0.88935)
        # may round either way after a different order of float operations, so the
        # unrounded value is compared with a half-unit margin.
        if ours is None or theirs is None or abs(theirs - ours) > 0.5e-4 + 1e-9:
            out.append(f"{path}: ours {ours}, DuckDB {theirs}")
    elif ours != theirs:
        out.append(f"{path}: ours {ours}, DuckDB {theirs}")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("csv", type=Path)
    ap.add_argument("--config", type=Path, required=True, help="report.toml used for the build")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--compare", type=Path, help="our data/summary.json: exit 1 on any difference")
    ap.add_argument("--json", type=Path, help="write DuckDB's figures here")
    ap.add_argument(
        "--compare-incidents", type=Path, help="our data/incidents.json: exit 1 on any difference"
    )
    a = ap.parse_args()
    figures = summarise(a.csv, settings(a.config), a.threads)
    if a.json:
        a.json.write_text(json.dumps(figures, indent=2, default=str) + "\n")
    incidents = figures.pop("incidents")
    if a.compare_incidents:
        if incidents is None:
            print("DIFFERENT: the export has no incident_id column", file=sys.stderr)
            return 1
        diff = differences(json.loads(a.compare_incidents.read_text()), incidents, "incidents")
        for d in diff:
            print(f"DIFFERENT {d}", file=sys.stderr)
        if diff:
            return 1
        print(f"identical: every DuckDB figure matches {a.compare_incidents}", file=sys.stderr)
    if a.compare:
        ours = json.loads(a.compare.read_text())
        diff = differences(ours, figures)
        for d in diff:
            print(f"DIFFERENT {d}", file=sys.stderr)
        if diff:
            return 1
        print(f"identical: every DuckDB figure matches {a.compare}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
