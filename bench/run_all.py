"""Runs every benchmark script in bench/ (each prints its own figures)."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    failures = 0
    for script in sorted(HERE.glob("*.py")):
        # Only scripts run; harness.py, settings.py and urls.py are modules the scripts use.
        if script.name == "run_all.py" or "__main__" not in script.read_text():
            continue
        print(f"=== {script.name}", flush=True)
        failures += (
            subprocess.run([sys.executable, str(script)], cwd=HERE.parent, check=False).returncode != 0
        )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
