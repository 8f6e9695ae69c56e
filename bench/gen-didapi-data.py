#!/usr/bin/env python3
"""Writes a copy of tests/server/data/didapi.json holding exactly N numbers.

The first min(N, 100) numbers are the data file's own, in order; beyond that those 100 are cycled
with the last six digits of `number` replaced by the running index (all other members, the
non-ASCII cities included, are kept), so every number stays unique and keeps its length (and so
its SOAP::Lite autotype, `xsd:long`). Number i of N (i >= 100) is therefore number i % 100 of the
100-number response with a new `number`: the benches rebuild the 10,000-number response from
bench/fixtures/get_numbers_100.xml that way, and bench/capture-fixtures.sh checks that the
rebuilt bytes are exactly what the server sends.

    python3 bench/gen-didapi-data.py N OUT.json
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CYCLE = 100
SRC = os.path.join(HERE, "..", "tests", "server", "data", "didapi.json")


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    with open(SRC, encoding="utf-8") as f:
        data = json.load(f)
    base = data["numbers"][:CYCLE]
    numbers = []
    for i in range(n):
        rec = dict(base[i % len(base)])
        if i >= len(base):
            rec["number"] = rec["number"][:-6] + "%06d" % i
        numbers.append(rec)
    assert len({r["number"] for r in numbers}) == n, "numbers must stay unique"
    data["numbers"] = numbers
    with open(out, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=0)
        f.write("\n")


if __name__ == "__main__":
    main()
