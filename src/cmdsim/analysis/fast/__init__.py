"""The fast path's parts: :mod:`.graph` (what a scenario's reports and
decisions form), :mod:`.draws` (their random numbers), :mod:`.steps`,
:mod:`.rooms` and :mod:`.compute` (the times).  :mod:`cmdsim.analysis.fastgraph`
is their public face; :mod:`cmdsim.analysis.fastpath` decides when they may
stand in for the engine."""
