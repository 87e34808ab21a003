/**
 * Whether an agent command looks like a test run: the trail records the
 * command line, not what it was for. A command counts when one of its words
 * is a test runner or a package manager's test script (`npm test`,
 * `pnpm run test:unit`, `pytest`, `go test ./...`, `cargo test`, `mvn test`,
 * `dotnet test`, `jest`, `vitest`, `mocha`, `rspec`, `phpunit`, `ctest`,
 * `tox`, `make test`…). A false positive (`cat test.log`) is possible; the
 * docs (audit.md#metrics) say so.
 */
const RUNNERS = /(?:^|[\s;&|(/])(?:pytest|py\.test|jest|vitest|mocha|ava|tap|rspec|phpunit|ctest|tox|nox|karma|playwright\s+test|unittest)(?:$|[\s;&|)])/;
const SUBCOMMANDS = /(?:^|[\s;&|(/])(?:npm|pnpm|yarn|bun|deno|go|cargo|mvn|mvnw|gradle|gradlew|dotnet|make|swift|mix|rake|bundle\s+exec\s+rake|python3?\s+-m|node)\s+(?:run\s+)?(?:--?\S+\s+)*(?:t|test|tests|pytest|unittest|--test)(?::\S+)?(?:$|[\s;&|)])/;

export function looksLikeTest(command: string): boolean {
  return RUNNERS.test(command) || SUBCOMMANDS.test(command);
}
