import sys

from analysis.cli import main
from analysis.run.collector import freeze_before_exit

status = main()
freeze_before_exit()
sys.exit(status)
