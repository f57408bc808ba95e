# The two commands of the README: `make run` and `make test`. Both install missing Debian
# packages first (scripts/install-deps.sh), so they work on a fresh Debian 12 machine.

BUILD      ?= build
TEST_BUILD ?= build-test
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
DB         ?= data/trienkhai.db
PORT       ?= 8080

.PHONY: all deps build run test test-build fuzz bench clean

all: build

deps:
	@sh scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTK_TESTS=OFF >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

# Builds, creates $(DB) with the demo data on first run, and serves http://127.0.0.1:$(PORT).
run: build
	@mkdir -p $(dir $(DB))
	@if [ ! -f $(DB) ]; then ./$(BUILD)/trienkhai demo --db $(DB); fi
	./$(BUILD)/trienkhai serve --db $(DB) --listen 127.0.0.1 --port $(PORT)

# The whole suite, built with AddressSanitizer and UndefinedBehaviorSanitizer.
test-build: deps
	@cmake -S . -B $(TEST_BUILD) -DCMAKE_BUILD_TYPE=Debug -DTK_SANITIZE=ON -DTK_TESTS=ON >/dev/null
	@cmake --build $(TEST_BUILD) -j $(JOBS)

# The locked npm packages of the browser tests (package-lock.json), installed once per change.
node_modules/.package-lock.json: package.json package-lock.json
	@npm ci --no-audit --no-fund --loglevel=error

test: test-build node_modules/.package-lock.json
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest --test-dir $(TEST_BUILD) --output-on-failure -j $(JOBS)

# Real coverage-guided fuzzing of every parser with clang's libFuzzer (FUZZ_SECONDS each).
FUZZ_SECONDS ?= 60
fuzz: deps
	@sh scripts/fuzz.sh $(FUZZ_SECONDS)

bench: build
	@sh bench/run.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(TEST_BUILD) build-fuzz node_modules
