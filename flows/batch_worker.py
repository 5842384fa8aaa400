"""Imported once by the fork server the batch workers are forked from (see ``flows.stages``): every worker
then starts with the transforms imported and their reference data loaded."""
import gc

from flows.stages import warm_up

warm_up()
# The warm objects live as long as the workers: keep the collector off them. A collection writes to every
# object it visits, which would copy the fork server's shared pages into each worker and rescan them all
# on every full collection.
gc.freeze()
