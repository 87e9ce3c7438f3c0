"""Backups proven by a restore (`manage.py backup`, `manage.py restore`): services.py is where to start.

schedule.py  archive names, which archives pruning keeps, when the nightly run is due (pure, no Django)
archive.py   the archive file: writing it, and unpacking it with every file checked against the manifest
databases.py a consistent copy of PostgreSQL (pg_dump -Fc in a snapshot) or SQLite (the backup API), and loading it
services.py  backup_create, backups_prune, backup_restore and the reports the commands print
"""
