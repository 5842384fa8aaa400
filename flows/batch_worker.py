"""Imported once by the fork server the batch workers are forked from (see ``flows.stages``): every worker
then starts with the transforms imported and their reference data loaded."""
from flows.stages import warm_up

warm_up()
