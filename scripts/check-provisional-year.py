#!/usr/bin/env python3
"""Checks a provisional year of a slawatch calendar file against two independent sources.

1. The PyPI package `holidays` (China): its statutory dates for the year, without the days it
   marks "observed" or "substituted" (a provisional year has no adjusted days).
2. An astronomical computation with the PyPI package `ephem`, in UTC+8: 春节 is the second new
   moon after the winter solstice (checked: no leap month before the 8th month), 除夕 the day
   before; 清明 is the day the sun reaches longitude 15°; 端午 the 5th day of the 5th month;
   中秋 the 15th day of the 8th month. Fixed-date holidays are checked as dates.

Run in a scratch virtualenv with holidays, ephem and PyYAML (none is a runtime dependency):
    python scripts/check-provisional-year.py calendar/cn-mainland.yaml 2027
Exit status 1 when the file and either source disagree.
"""
import datetime as dt
import math
import sys

import ephem
import holidays
import yaml

CST = dt.timedelta(hours=8)


def dates(item):
    first, _, last = str(item).partition("..")
    a = dt.date.fromisoformat(first)
    b = dt.date.fromisoformat(last or first)
    return [a + dt.timedelta(days=k) for k in range((b - a).days + 1)]


def local(d):
    return (ephem.Date(d).datetime() + CST).date()


def solar_longitude(d):
    sun = ephem.Sun()
    sun.compute(d)
    return math.degrees(float(ephem.Ecliptic(sun).lon))


def term(target, start):
    """The local date the sun's ecliptic longitude reaches `target` degrees, searching from `start`."""
    d = ephem.Date(start)
    while not ((solar_longitude(d) - target) % 360 > 180 and (solar_longitude(d + 1) - target) % 360 < 180):
        d = ephem.Date(d + 1)
    lo, hi = d, d + 1
    for _ in range(40):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if (solar_longitude(mid) - target) % 360 > 180 else (lo, mid)
    return local(lo)


def astronomical(year):
    moons, m = [], ephem.next_new_moon(ephem.next_solstice(f"{year - 1}/12/1"))
    for _ in range(11):
        moons.append(local(m))
        m = ephem.next_new_moon(ephem.Date(m) + 1)
    # Month k of the year starts at moons[k]; with no leap month every month holds one principal term.
    principal = [term(t, f"{year}/1/10") for t in (330, 0, 30, 60, 90, 120, 150, 180)]
    for k in range(1, 9):
        inside = [p for p in principal if moons[k] <= p < moons[k + 1]]
        if len(inside) != 1:
            raise SystemExit(f"month {k} of {year} holds {len(inside)} principal terms: a leap month; extend this check")
    new_year = moons[1]
    days = {dt.date(year, 1, 1)}
    days |= {new_year + dt.timedelta(days=k) for k in range(-1, 3)}
    days.add(term(15, f"{year}/3/25"))
    days |= {dt.date(year, 5, 1), dt.date(year, 5, 2)}
    days.add(moons[5] + dt.timedelta(days=4))
    days.add(moons[8] + dt.timedelta(days=14))
    days |= {dt.date(year, 10, d) for d in (1, 2, 3)}
    return days


def main(path, year):
    doc = yaml.safe_load(open(path, encoding="utf-8"))
    spec = doc["years"][year]
    if not spec.get("provisional"):
        raise SystemExit(f"{year} is not marked provisional in {path}")
    if spec.get("workdays"):
        raise SystemExit(f"{year} is provisional but lists adjusted working days")
    ours = {d for item in spec.get("holidays", []) for d in dates(item)}
    package = {d for d, name in holidays.China(years=year).items()
               if "observed" not in name.lower() and "substituted" not in name.lower()}
    sky = astronomical(year)
    bad = 0
    for name, theirs in (("holidays package", package), ("astronomical computation", sky)):
        for d in sorted(ours ^ theirs):
            bad += 1
            print(f"{d}: the file says {'holiday' if d in ours else 'not a holiday'}, the {name} says {'holiday' if d in theirs else 'not'}")
        print(f"{year}: {len(ours & theirs)} of {len(ours)} holidays agree with the {name}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2])))
