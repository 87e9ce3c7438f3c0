"""What bench/ceiling.py needs from inside the site, run in the server's environment after bench/world.py:
a signed-in manager's session (the admin list) and the queries each measured page makes, counted on its second
request (the first fills the per-process and page caches, as on a server that has been up a while).

    python bench/page_facts.py '{"programme page": "/programmes/x/", ...}' MEMBER_SESSION_KEY
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from world import signed_in_session


def staff_session() -> str:
    from cohort_site.demo import open_call

    return signed_in_session(get_user_model().objects.get(email=open_call.MANAGER_EMAIL))


def queries_per_page(pages: dict[str, tuple[str, str | None]]) -> dict[str, int]:
    counts = {}
    for name, (path, session) in pages.items():
        client = Client(HTTP_HOST="127.0.0.1")
        if session:
            client.cookies[settings.SESSION_COOKIE_NAME] = session
        for n in range(2):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path.replace("{n}", f"facts-{n}"))  # as bench/ceiling.py's fetch
            if response.status_code != 200:
                raise SystemExit(f"{name} ({path}) answered {response.status_code}")
        counts[name] = len(queries.captured_queries)
    return counts


if __name__ == "__main__":
    pages, member_session = json.loads(sys.argv[1]), sys.argv[2]
    staff = staff_session()
    sessions = {"member": member_session, "staff": staff, None: None}
    counted = queries_per_page({name: (path, sessions[who]) for name, (path, who) in pages.items()})
    print(json.dumps({"staff_session": staff, "queries": counted}))
