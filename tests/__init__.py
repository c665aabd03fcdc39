"""The test suite is a package, and so is every folder in it, so that each test module and
conftest has a unique dotted name (tests.casting.conftest, tests.metrics.test_api, ...) and
shared helpers import as `tests.support.<module>`; pytest puts the project root on sys.path
for it. Never import a conftest: fixtures reach tests by name, helpers live in tests/support."""
