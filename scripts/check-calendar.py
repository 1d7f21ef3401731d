#!/usr/bin/env python3
"""Checks a slawatch calendar file against the PyPI package chinese-calendar, day by day.

Run in a scratch virtualenv with chinese-calendar and PyYAML installed (neither is a runtime
dependency of slawatch):  python scripts/check-calendar.py calendar/cn-mainland.yaml
Exit status 1 when any day disagrees.
"""
import datetime as dt
import sys

import chinese_calendar
import yaml

WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}


def dates(item):
    if isinstance(item, dt.date):
        return [item]
    first, _, last = str(item).partition("..")
    a = dt.date.fromisoformat(first)
    b = dt.date.fromisoformat(last or first)
    return [a + dt.timedelta(days=k) for k in range((b - a).days + 1)]


def main(path):
    doc = yaml.safe_load(open(path, encoding="utf-8"))
    working = {WEEKDAYS[d] for d in doc.get("working_weekdays", ["mon", "tue", "wed", "thu", "fri"])}
    bad = 0
    for year, spec in sorted(doc["years"].items()):
        if spec.get("provisional"):
            # chinese-calendar has no data before the notice; scripts/check-provisional-year.py checks it.
            print(f"{year}: provisional, not checked here (scripts/check-provisional-year.py)")
            continue
        holidays = {d for item in spec.get("holidays", []) for d in dates(item)}
        workdays = {d for item in spec.get("workdays", []) for d in dates(item)}
        day, agree = dt.date(year, 1, 1), 0
        while day.year == year:
            ours = day in workdays or (day not in holidays and day.weekday() in working)
            theirs = chinese_calendar.is_workday(day)
            if ours == theirs:
                agree += 1
            else:
                bad += 1
                print(f"{day}: slawatch says {'working' if ours else 'off'}, chinese-calendar says {'working' if theirs else 'off'}")
            day += dt.timedelta(days=1)
        print(f"{year}: {agree} days agree")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
