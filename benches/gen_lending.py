#!/usr/bin/env python3
"""Writes loan applications for examples/lending.rubric as JSON lines, deterministically.

    python3 benches/gen_lending.py --records 1000000 --seed 7 > lending.jsonl

Every record is valid for the policy, with a realistic spread: every bin of every scorecard is
used, about 7% of applicants do not state their employment (absent or null), about 10% have no
revolving credit (no `credit_utilisation`), decimals are written with and without fractions
(`41000`, `41000.50`, `25000.00`), and all four tiers occur. Only integer arithmetic is used, so the
same seed gives the same bytes on every platform and Python 3 version.

A stand-in until `rubric gen` is merged (see benches/compare.sh).
"""

import argparse
import random
import sys

EMPLOYMENT = (
    # (value, weight); None = not stated (the key is left out or null)
    ("permanent", 50),
    ("contract", 12),
    ("self_employed", 10),
    ("retired", 10),
    ("student", 6),
    ("unemployed", 5),
    (None, 7),
)
EMPLOYMENT_TABLE = [value for value, weight in EMPLOYMENT for _ in range(weight)]


def money(rng, euros, cents=True):
    """Euros, written whole (60%), with cents (30%; `.00` when `cents` is false) or `.00` (10%)."""
    style = rng.randrange(10)
    if style < 6:
        return str(euros)
    if style < 9 and cents:
        return "%d.%02d" % (euros, rng.randrange(100))
    return "%d.00" % euros


def tenths(rng, value):
    """A number of tenths, written like 33.7 (or 33 when the tenths are zero, half the time)."""
    if value % 10 == 0 and rng.randrange(2) == 0:
        return str(value // 10)
    return "%d.%d" % (value // 10, value % 10)


def record(rng, n):
    fields = ['"id":"app-%07d"' % n]

    age = 18 + rng.randrange(25) + rng.randrange(25)
    if rng.randrange(5) == 0:
        age += rng.randrange(33)
    fields.append('"age":%d' % age)

    income = rng.randrange(6000, 40000) + rng.randrange(40000)
    if rng.randrange(100) < 8:
        income += rng.randrange(250000)
    fields.append('"annual_income":' + money(rng, income))

    if rng.randrange(100) < 3:
        dti = rng.randrange(700, 5001)
    else:
        dti = rng.randrange(400) + rng.randrange(300)
    fields.append('"debt_to_income":' + tenths(rng, dti))

    months = rng.randrange(48)
    if rng.randrange(2) == 0:
        months += rng.randrange(240)
    if rng.randrange(100) == 0:
        months += rng.randrange(900)
    fields.append('"months_at_address":%d' % min(months, 1200))

    employment = rng.choice(EMPLOYMENT_TABLE)
    if employment is not None:
        fields.append('"employment_status":"%s"' % employment)
    elif rng.randrange(3) == 0:
        fields.append('"employment_status":null')

    roll = rng.randrange(100)
    delinquencies = 0 if roll < 70 else 1 if roll < 85 else 2 if roll < 92 else rng.randrange(3, 10)
    fields.append('"delinquencies_24m":%d' % delinquencies)

    if rng.randrange(10) != 0:
        utilisation = min(1000, rng.randrange(600) + rng.randrange(500))
        fields.append('"credit_utilisation":' + tenths(rng, utilisation))

    accounts = rng.randrange(7) + rng.randrange(7)
    if rng.randrange(50) == 0:
        accounts += rng.randrange(13, 40)
    fields.append('"open_accounts":%d' % accounts)

    fields.append('"has_bankruptcy":%s' % ("true" if rng.randrange(100) < 4 else "false"))

    if rng.randrange(100) < 15:
        loan = rng.randrange(300, 1001) * 100
    else:
        loan = rng.randrange(5, 300) * 100
    fields.append('"loan_amount":' + money(rng, loan, cents=False))

    return "{" + ",".join(fields) + "}\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    out = sys.stdout
    chunk = []
    for n in range(1, args.records + 1):
        chunk.append(record(rng, n))
        if len(chunk) == 10_000:
            out.write("".join(chunk))
            chunk.clear()
    out.write("".join(chunk))


if __name__ == "__main__":
    main()
