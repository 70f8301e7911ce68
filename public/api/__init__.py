"""The read-only public API over the creativity database and the published award lists (issue #11)."""
