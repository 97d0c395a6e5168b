#!/usr/bin/env python3
"""Do two mie JSONL files hold the same predictions? Exact but for floats within --tol (1e-5).

    python3 tests/jsonl_close.py A.jsonl B.jsonl [--tol 1e-5]     # exit 0 alike, 1 with the first difference

Scores are float32 sums whose last bits depend on which posts share a batch (BLAS blocking), so
the same post tagged in another batch or thread split can differ by ~1e-7 in a score, never more
than 1e-6 on GMNER dev (docs/library.md); every other field must be equal.
"""
import json
import sys


def close(x, y, tol):
    if isinstance(x, float) or isinstance(y, float):
        return isinstance(x, (int, float)) and isinstance(y, (int, float)) and abs(x - y) <= tol
    if isinstance(x, dict):
        return isinstance(y, dict) and x.keys() == y.keys() and all(close(x[k], y[k], tol) for k in x)
    if isinstance(x, list):
        return isinstance(y, list) and len(x) == len(y) and all(close(u, v, tol) for u, v in zip(x, y))
    return x == y


def first_difference(a_lines, b_lines, tol=1e-5):
    """None when alike, else a message naming the first differing line."""
    if len(a_lines) != len(b_lines):
        return f"{len(a_lines)} lines vs {len(b_lines)}"
    for n, (a, b) in enumerate(zip(a_lines, b_lines), 1):
        if not close(json.loads(a), json.loads(b), tol):
            return f"line {n} differs:\n  {a}\n  {b}"
    return None


if __name__ == "__main__":
    args = sys.argv[1:]
    tol = 1e-5
    if "--tol" in args:
        i = args.index("--tol")
        tol = float(args[i + 1])
        del args[i:i + 2]
    a, b = (open(p, encoding="utf-8").read().splitlines() for p in args)
    diff = first_difference(a, b, tol)
    if diff:
        print(f"{args[0]} vs {args[1]}: {diff}", file=sys.stderr)
        sys.exit(1)
