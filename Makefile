# phidesk — `make run` and `make test` install what is missing, build, then run.
SWIFT ?= swift
DEBIAN_PACKAGES := libssl-dev libsqlite3-dev libargon2-dev libjson-c-dev liboath-dev libqrencode-dev \
	oathtool pkg-config sqlite3 openssl \
	libgtk-4-dev libwebkitgtk-6.0-dev xvfb xauth dbus-x11 bubblewrap xdotool

# Swift's crash reporter prints memory near registers to stderr; never in our runs.
export SWIFT_BACKTRACE := enable=no

.PHONY: deps build run test bench clean

deps:
	@scripts/install-deps.sh $(DEBIAN_PACKAGES)

build: deps
	$(SWIFT) build -c release --product phidesk
	$(SWIFT) build -c release --product phidesk-desktop

run: build
	scripts/demo.sh

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

bench: deps
	$(SWIFT) build -c release --product phidesk
	$(SWIFT) build -c release --product phidesk-desktop
	$(SWIFT) build -c release --product phidesk-bench
	.build/release/phidesk-bench --output BENCHMARKS.md

clean:
	rm -rf .build .phidesk-demo
