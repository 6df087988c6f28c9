"""python -m chargeback.compare.spark_dump PROJECT_DIR OUT: the Spark marts as a pickle."""

from __future__ import annotations

import sys
from pathlib import Path

from chargeback.compare.marts import spark_dump

if __name__ == "__main__":
    spark_dump(Path(sys.argv[1]), Path(sys.argv[2]))
