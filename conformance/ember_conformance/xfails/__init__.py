"""Per-backend xfails files (data; a package so that they ship as package data)."""
