"""Imported once by the fork server the batch workers are forked from (see ``flows.stages``): every worker
then starts with the transforms imported and their reference data loaded."""
import gc
import signal

from flows.stages import warm_up

# A Ctrl-C reaches every process of the terminal's process group: the run decides when its workers stop
# (flows/interrupt.py), so they ignore it (the fork server gives its children the handlers it had here).
signal.signal(signal.SIGINT, signal.SIG_IGN)
warm_up()
# The warm objects live as long as the workers: keep the collector off them. A collection writes to every
# object it visits, which would copy the fork server's shared pages into each worker and rescan them all
# on every full collection.
gc.freeze()
