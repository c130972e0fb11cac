from django.core.management.base import BaseCommand, CommandError

from plan.pagecache.warm import HTTP_JOBS, public_paths, warm_in_process, warm_over_http


class Command(BaseCommand):
    help = "Ask for every public page so that the page cache holds it (see docs/operating.md)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            help="a running server to warm over HTTP, e.g. http://127.0.0.1:8000 "
            "(default: render in this process into the configured cache, e.g. Redis)",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=HTTP_JOBS,
            help=f"with --base-url: requests in flight at once (default {HTTP_JOBS})",
        )

    def handle(self, *args, base_url, jobs, **options):
        if jobs < 1:
            raise CommandError("--jobs must be 1 or more")
        paths = public_paths()
        report = warm_over_http(paths, base_url, jobs) if base_url else warm_in_process(paths)
        self.stdout.write(f"{report.pages} pages in {report.seconds:.2f} s")
        if report.failed:
            raise CommandError(f"{len(report.failed)} pages did not answer 200: {report.failed}")
