"""Time ``audit verify`` on a TinyDB data folder of many consults: the whole check a clinic runs
(chain, signatures, the register, every record version, every derived index, the vial ledger).

Run: python bench/verify_bench.py [--consults N] [--keep DIR]. Target: 100,000 consults (about
three years of a busy clinic) verified in under 2 minutes and 500 MiB; verify reads everything once,
so its time grows linearly with the record.

The folder is built once through the store's ``bulk_load`` with the records bench's clinic
(``records_data.py``); with --keep DIR it is kept there and reused. The check runs in a fresh
process through the same service the command line uses, and that process's peak memory is reported.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from records_data import Clinic

CHECK = """
import sys, time
from pathlib import Path
from assistant.records import TinyDBStore
from assistant.services import audit_trail
start = time.perf_counter()
verdict = audit_trail.check(TinyDBStore(Path(sys.argv[1])))
seconds = time.perf_counter() - start
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM")) / 1024
print(f"{verdict.entries} {seconds:.2f} {peak:.0f} {len(verdict.problems)}")
for problem in verdict.problems[:3]:
    print(problem, file=sys.stderr)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--consults", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="build the folder here once and reuse it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch) / "data"
        if not (folder / "audit").is_dir():
            from assistant.records import TinyDBStore

            start = time.perf_counter()
            clinic = Clinic(patients=max(1, args.consults * 3 // 10), years=3)
            count = TinyDBStore(folder, durable=False).bulk_load(clinic.generate(args.consults))
            print(f"built {count:,} consults in {time.perf_counter() - start:.0f} s")
        done = subprocess.run([sys.executable, "-c", CHECK, str(folder)], capture_output=True, text=True, check=True)
        entries, seconds, peak, problems = done.stdout.split()
        print(f"audit verify: {int(entries):,} entries in {float(seconds):.1f} s, peak memory {peak} MiB")
        if int(problems):
            print(f"  ({problems} problems found; the first: {done.stderr.strip()})")


if __name__ == "__main__":
    main()
