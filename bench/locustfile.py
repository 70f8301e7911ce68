"""One page under load (bench.run starts locust with it, headless, for a fixed duration): every
simulated client asks for BENCH_PATH again and again, without pause, carrying the session cookie of
the role's bench user (signed in once by the runner, so the slow password hash is not measured).
Anything but a 2xx or 3xx answer is a failure; redirects are not followed."""

import os

from locust import FastHttpUser, constant, task

PATH = os.environ.get("BENCH_PATH", "/__bare__/")
COOKIE = os.environ.get("BENCH_COOKIE", "")  # "sessionid=…", empty for an anonymous visitor


class PageUser(FastHttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.headers = {"Cookie": COOKIE} if COOKIE else {}

    @task
    def page(self):
        with self.client.get(
            PATH, name="page", headers=self.headers, allow_redirects=False, catch_response=True
        ) as response:
            if 200 <= response.status_code < 400:
                response.success()
            else:
                response.failure(f"HTTP {response.status_code}")
