# The README's commands, and the web UI's build. Plain `go build ./cmd/filo`
# works without Node.js: the binary then serves the API and says how to build
# the UI.
.PHONY: build web test e2e demo bench

build: web
	go build -o filo ./cmd/filo

web:
	cd web && npm ci --no-audit --no-fund && npm run build

test:
	go test ./...

e2e:
	bash web/e2e/run.sh

demo:
	bash scripts/demo.sh

bench:
	go test -run x -bench . -benchtime 20x ./httpapi/
